// Purpose: the cheapest attack paths from the Internet to cluster-admin, by cost (the sum of the
//   edges' attacker-effort costs), as `kubepath paths --from internet --to cluster-admin` finds them
//   (pod-to-pod network moves aside: the export leaves them out, see docs/export.md).
// Parameters: $cluster (the export's --cluster), $limit (how many paths).
// Example: {"cluster": "default", "limit": 5}
MATCH p = (:Internet {cluster: $cluster})-[rs*1..8]->(:ClusterAdmin {cluster: $cluster})
WHERE all(r IN rs WHERE r.attack) AND all(i IN range(0, size(rs) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
WITH DISTINCT [n IN nodes(p) | n.id] AS nodes, [r IN rs | type(r)] AS types, reduce(cost = 0, r IN rs | cost + r.cost) AS cost
RETURN cost, nodes, types
ORDER BY cost, size(nodes), nodes
LIMIT toInteger($limit)
