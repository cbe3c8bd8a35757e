/**
 * kubepath support table
 * ======================
 *
 * Whether a Kubernetes minor still gets patches upstream, on a given day. The project
 * supports each minor for about fourteen months: twelve of standard support, then two
 * of maintenance (security and critical fixes only), ending on the dates below
 * (kubernetes.io/releases/patch-releases "Support Period", KEP-1498; the release dates
 * are the x.y.0 release announcements). The end is the scheduled one; a branch's last
 * patch may come out a few days either side. Managed offerings (EKS, GKE, AKS) may
 * support a minor for up to a year longer; kubepath judges upstream support.
 */
export interface MinorRelease {
  minor: number;
  /** Release day of 1.<minor>.0. */
  released: string;
  /** End of life: no patch after this day. */
  endOfLife: string;
}

/** Checked 2026-11-29 (docs/version.md lists the sources). 1.38 is planned for 2026-12-16, with no end date published. */
export const RELEASES: readonly MinorRelease[] = [
  {minor: 19, released: '2020-08-26', endOfLife: '2021-10-28'},
  {minor: 20, released: '2020-12-08', endOfLife: '2022-02-28'},
  {minor: 21, released: '2021-04-08', endOfLife: '2022-06-28'},
  {minor: 22, released: '2021-08-04', endOfLife: '2022-10-28'},
  {minor: 23, released: '2021-12-07', endOfLife: '2023-02-28'},
  {minor: 24, released: '2022-05-03', endOfLife: '2023-07-28'},
  {minor: 25, released: '2022-08-23', endOfLife: '2023-10-28'},
  {minor: 26, released: '2022-12-09', endOfLife: '2024-02-28'},
  {minor: 27, released: '2023-04-11', endOfLife: '2024-06-28'},
  {minor: 28, released: '2023-08-15', endOfLife: '2024-10-28'},
  {minor: 29, released: '2023-12-13', endOfLife: '2025-02-28'},
  {minor: 30, released: '2024-04-17', endOfLife: '2025-06-28'},
  {minor: 31, released: '2024-08-13', endOfLife: '2025-10-28'},
  {minor: 32, released: '2024-12-11', endOfLife: '2026-02-28'},
  {minor: 33, released: '2025-04-23', endOfLife: '2026-06-28'},
  {minor: 34, released: '2025-08-27', endOfLife: '2026-10-27'},
  {minor: 35, released: '2025-12-17', endOfLife: '2027-02-28'},
  {minor: 36, released: '2026-04-22', endOfLife: '2027-06-28'},
  {minor: 37, released: '2026-08-26', endOfLife: '2027-10-28'},
];

/**
 * - `supported`: patched;
 * - `maintenance`: in its last two months, critical fixes only;
 * - `end-of-life`: no more patches, the finding;
 * - `unknown`: newer than the table.
 */
export type SupportStatus = 'supported' | 'maintenance' | 'end-of-life' | 'unknown';

export interface SupportVerdict {
  status: SupportStatus;
  /** The day judged on (YYYY-MM-DD). */
  asOf: string;
  endOfLife?: string;
  /** The minors supported on that day, oldest first (`1.35`). */
  supportedMinors: string[];
  /** The verdict in a sentence. */
  note: string;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

/** Two months before the end: the last day of standard support is the day before. */
function maintenanceFrom(endOfLife: string): string {
  const [year, month, date] = endOfLife.split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(year, month - 1 - 2, date));
  return day(start);
}

export function supportOf(minor: number, asOf: Date): SupportVerdict {
  const today = day(asOf);
  const supportedMinors = RELEASES.filter((release) => release.released <= today && today <= release.endOfLife).map(
    (release) => `1.${release.minor}`,
  );
  const release = RELEASES.find((known) => known.minor === minor);
  const newest = RELEASES[RELEASES.length - 1]!;
  if (!release) {
    if (minor > newest.minor)
      return {
        status: 'unknown',
        asOf: today,
        supportedMinors,
        note: `1.${minor} is newer than kubepath's support table (1.${newest.minor}): its support is not judged`,
      };
    const oldest = RELEASES[0]!;
    return {
      status: 'end-of-life',
      asOf: today,
      supportedMinors,
      note: `1.${minor} is older than 1.${oldest.minor}, which reached end of life on ${oldest.endOfLife}: no security fixes for years`,
    };
  }
  const base = {asOf: today, endOfLife: release.endOfLife, supportedMinors};
  if (today > release.endOfLife) {
    const upgrade =
      supportedMinors.length > 0 ? `${supportedMinors.join(', ')} on ${today}` : `newer than kubepath's table, 1.${newest.minor}`;
    return {
      ...base,
      status: 'end-of-life',
      note: `1.${minor} reached end of life on ${release.endOfLife}: no security fixes since; upgrade to a supported minor (${upgrade})`,
    };
  }
  if (today >= maintenanceFrom(release.endOfLife)) {
    return {
      ...base,
      status: 'maintenance',
      note: `1.${minor} is in maintenance (critical fixes only) and reaches end of life on ${release.endOfLife}: plan the upgrade`,
    };
  }
  return {...base, status: 'supported', note: `1.${minor} is supported until ${release.endOfLife}`};
}
