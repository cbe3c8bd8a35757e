// Purpose: identities that can read secrets outside their own namespace (users and groups have none:
//   every secret they read counts), with how many and in which namespaces.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH (who:KubepathNode {cluster: $cluster})-[:CAN_READ_SECRET]->(secret:Secret)
WHERE who.namespace IS NULL OR who.namespace <> secret.namespace
RETURN who.id AS identity, count(secret) AS secrets, collect(DISTINCT secret.namespace) AS namespaces
ORDER BY secrets DESC, identity
