/**
 * kubepath generator word lists
 * =============================
 *
 * The vocabulary generated clusters are named from: business domains for team
 * namespaces, components and roles for workloads, the datastores and jobs that
 * real clusters run. Lists only grow at the end, so existing seeds keep their names.
 */

/** Business domains: a team owns one, and its namespaces and workloads carry its name. */
export const DOMAINS = [
  'payments',
  'checkout',
  'cart',
  'catalog',
  'search',
  'recommendations',
  'identity',
  'auth',
  'billing',
  'invoicing',
  'shipping',
  'inventory',
  'orders',
  'notifications',
  'messaging',
  'analytics',
  'reporting',
  'ml-platform',
  'feature-store',
  'data-ingest',
  'etl',
  'warehouse',
  'ledger',
  'fraud',
  'risk',
  'pricing',
  'promotions',
  'loyalty',
  'reviews',
  'media',
  'thumbnails',
  'video',
  'streaming',
  'chat',
  'support',
  'crm',
  'marketing',
  'growth',
  'experiments',
  'web',
  'mobile-bff',
  'partner-api',
  'gateway',
  'onboarding',
  'kyc',
  'compliance',
  'audit',
  'accounts',
  'profiles',
  'sessions',
  'geo',
  'maps',
  'routing',
  'dispatch',
  'fleet',
  'telemetry',
  'platform',
  'devtools',
  'docs',
  'cms',
  'booking',
  'calendar',
  'payroll',
  'finance',
  'tax',
  'settlements',
  'wallet',
  'rewards',
  'subscriptions',
  'storefront',
  'returns',
  'merchants',
] as const;

export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'qa', 'sandbox', 'perf'] as const;
export const REGIONS = ['eu', 'us', 'ap', 'sa'] as const;

/** Customers of a multi-tenant platform; some namespaces carry a `tenant` label. */
export const TENANTS = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'vandelay',
  'stark',
  'wayne',
  'tyrell',
  'cyberdyne',
  'soylent',
  'wonka',
  'aperture',
  'massive-dynamic',
  'oscorp',
  'gringotts',
] as const;

/** Nouns that name a workload's part of the domain (`refund-processor`, `card-api`). */
export const COMPONENTS = [
  'card',
  'refund',
  'token',
  'session',
  'user',
  'order',
  'price',
  'quote',
  'invoice',
  'receipt',
  'email',
  'sms',
  'push',
  'webhook',
  'event',
  'audit',
  'report',
  'export',
  'import',
  'image',
  'upload',
  'asset',
  'search',
  'index',
  'feed',
  'rank',
  'score',
  'model',
  'feature',
  'label',
  'stock',
  'parcel',
  'label-printer',
  'tracking',
  'address',
  'tax',
  'currency',
  'fx',
  'ledger',
  'balance',
  'payout',
  'transfer',
  'limit',
  'consent',
  'document',
  'profile',
  'avatar',
  'comment',
  'rating',
  'coupon',
  'campaign',
  'segment',
  'journey',
  'ticket',
  'agent',
  'route',
  'geo',
  'eta',
  'schedule',
  'slot',
  'config',
  'flag',
  'metric',
  'trace',
  'log',
  'cache',
  'graphql',
  'edge',
] as const;

/** What a workload does; roles serving traffic get a port, workers mostly do not. */
export const SERVING_ROLES = ['api', 'web', 'frontend', 'gateway', 'grpc', 'admin', 'bff', 'service', 'webhook', 'proxy'] as const;
export const BACKGROUND_ROLES = ['worker', 'consumer', 'processor', 'indexer', 'scheduler', 'sync', 'notifier', 'aggregator'] as const;

/** Datastores run as StatefulSets, with the image they usually come from. */
export const DATASTORES = [
  ['postgres', 'docker.io/bitnami/postgresql:16.4.0', 5432, 'tcp-postgresql'],
  ['redis', 'docker.io/bitnami/redis:7.2.5', 6379, 'tcp-redis'],
  ['kafka', 'docker.io/bitnami/kafka:3.7.1', 9092, 'tcp-client'],
  ['zookeeper', 'docker.io/bitnami/zookeeper:3.9.2', 2181, 'tcp-client'],
  ['rabbitmq', 'docker.io/bitnami/rabbitmq:3.13.6', 5672, 'amqp'],
  ['elasticsearch', 'docker.elastic.co/elasticsearch/elasticsearch:8.15.0', 9200, 'http'],
  ['mongodb', 'docker.io/bitnami/mongodb:7.0.12', 27017, 'mongodb'],
  ['nats', 'docker.io/library/nats:2.10.18', 4222, 'client'],
  ['clickhouse', 'docker.io/clickhouse/clickhouse-server:24.8', 8123, 'http'],
  ['minio', 'quay.io/minio/minio:RELEASE.2024-08-17T01-24-54Z', 9000, 'api'],
  ['memcached', 'docker.io/bitnami/memcached:1.6.29', 11211, 'memcache'],
] as const;

/** What scheduled jobs do (`invoice-reconcile`, `report-digest`). */
export const CRON_TASKS = [
  'reconcile',
  'cleanup',
  'backup',
  'reindex',
  'export',
  'digest',
  'rotate-keys',
  'sync',
  'compact',
  'report',
] as const;

/** Schedules CronJobs really use. */
export const CRON_SCHEDULES = ['*/5 * * * *', '*/15 * * * *', '0 * * * *', '30 2 * * *', '0 3 * * *', '0 4 * * 0', '15 */6 * * *'] as const;

/** Sidecars that ride along with application containers. */
export const SIDECARS = [
  ['log-shipper', 'docker.io/fluent/fluent-bit:3.1.6'],
  ['oauth2-proxy', 'quay.io/oauth2-proxy/oauth2-proxy:v7.6.0'],
  ['cloud-sql-proxy', 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.4'],
  ['envoy', 'docker.io/envoyproxy/envoy:v1.31.0'],
  ['vault-agent', 'docker.io/hashicorp/vault:1.17.3'],
] as const;

/** Throwaway pods people start by hand, without a controller. */
export const ADHOC_PODS = [
  ['debug-shell', 'docker.io/library/busybox:1.36'],
  ['netshoot', 'docker.io/nicolaka/netshoot:v0.13'],
  ['psql-client', 'docker.io/library/postgres:16'],
  ['tmp-curl', 'docker.io/curlimages/curl:8.9.1'],
  ['node-debugger', 'docker.io/library/ubuntu:24.04'],
] as const;

export const ENGINEERS = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
  'peggy',
  'trent',
  'victor',
  'walter',
] as const;

/** Company names for domains and registries. */
export const COMPANIES = [
  'acme-corp',
  'northwind',
  'contoso',
  'fabrikam',
  'tailspin',
  'wingtip',
  'adventureworks',
  'litware',
  'proseware',
  'fourthcoffee',
] as const;

export const CLOUD_REGIONS = [
  ['eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
  ['us-east-1', ['us-east-1a', 'us-east-1b', 'us-east-1d']],
  ['us-west-2', ['us-west-2a', 'us-west-2b', 'us-west-2c']],
  ['eu-central-1', ['eu-central-1a', 'eu-central-1b', 'eu-central-1c']],
  ['ap-southeast-2', ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c']],
] as const;

/** Node pools, with their instance types. */
export const NODE_POOLS = [
  ['general', ['m6i.2xlarge', 'm6i.4xlarge', 'm7i.2xlarge']],
  ['compute', ['c6i.4xlarge', 'c7i.4xlarge']],
  ['memory', ['r6i.2xlarge', 'r6i.4xlarge']],
  ['spot', ['m5.2xlarge', 'm5a.2xlarge', 'm6a.2xlarge']],
] as const;

/** Languages and the base images they build on, for application image tags. */
export const LANGUAGES = ['go', 'java', 'node', 'python', 'rust', 'dotnet'] as const;
