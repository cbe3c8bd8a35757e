/**
 * kubepath image references
 * =========================
 *
 * Container image references as the container runtime reads them
 * (`[registry/]repository[:tag][@digest]`): a first component with a `.` or `:`, or
 * `localhost`, is a registry; otherwise the image is Docker Hub's (`docker.io`, also
 * written `index.docker.io`, and `library/` for a one-component name). No tag and no
 * digest means `latest`.
 */
export interface ImageReference {
  registry: string;
  /** The repository path within the registry (`library/nginx`, `shop/web`). */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  let name = at >= 0 ? reference.slice(0, at) : reference;
  const colon = name.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  // `index.docker.io` is Docker Hub's old name, which runtimes still read as docker.io.
  const registry = hasRegistry && first !== 'index.docker.io' ? first : 'docker.io';
  let repository = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return {registry, repository, ...(tag === undefined ? {} : {tag}), ...(digest === undefined ? {} : {digest})};
}
