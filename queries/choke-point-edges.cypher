// Purpose: choke points: the attack edges that the most paths from the Internet to a crown jewel
//   (cluster-admin, a node, a secret) cross; cutting the top one removes that many paths.
// Parameters: $cluster (the export's --cluster), $limit (how many edges).
// Example: {"cluster": "default", "limit": 10}
MATCH p = (:Internet {cluster: $cluster})-[rs*1..6]->(jewel:KubepathNode)
WHERE (jewel:ClusterAdmin OR jewel:Node OR jewel:Secret) AND all(r IN rs WHERE r.attack)
UNWIND rs AS r
WITH r, count(DISTINCT p) AS paths
RETURN startNode(r).id AS from, type(r) AS type, endNode(r).id AS to, paths
ORDER BY paths DESC, from, type, to
LIMIT toInteger($limit)
