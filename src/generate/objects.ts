/**
 * kubepath generator object helpers
 * =================================
 *
 * The shape every generated object shares: apiVersion, kind, and metadata written
 * in the field order the API server uses, with resourceVersions that look like
 * etcd revisions.
 */
import type {Random} from './random.js';

export type Json = Record<string, unknown>;

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Json;
  [field: string]: unknown;
}

export interface MetaFields {
  name: string;
  namespace?: string | undefined;
  uid: string;
  createdAt: string;
  generation?: number;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  ownerReferences?: Json[] | undefined;
}

/** Hands out etcd-like resourceVersions: large, increasing revisions. */
export class ResourceVersions {
  private revision: number;

  constructor(private readonly random: Random) {
    this.revision = random.int(10_000_000, 90_000_000);
  }

  next(): string {
    this.revision += this.random.int(1, 40);
    return String(this.revision);
  }
}

export function meta(fields: MetaFields, versions: ResourceVersions): Json {
  const metadata: Json = {name: fields.name};
  if (fields.namespace !== undefined) metadata.namespace = fields.namespace;
  metadata.uid = fields.uid;
  metadata.resourceVersion = versions.next();
  if (fields.generation !== undefined) metadata.generation = fields.generation;
  metadata.creationTimestamp = fields.createdAt;
  if (fields.labels && Object.keys(fields.labels).length > 0) metadata.labels = fields.labels;
  if (fields.annotations && Object.keys(fields.annotations).length > 0) metadata.annotations = fields.annotations;
  if (fields.ownerReferences) metadata.ownerReferences = fields.ownerReferences;
  return metadata;
}

/** The owner reference a controller sets on what it creates. */
export function controllerRef(apiVersion: string, kind: string, name: string, uid: string): Json {
  return {apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true};
}
