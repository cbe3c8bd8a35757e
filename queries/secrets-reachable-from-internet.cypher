// Purpose: the secrets an attacker on the Internet can read, each with its cheapest path's cost and
//   the path.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH p = (:Internet {cluster: $cluster})-[rs*1..6]->(secret:Secret)
WHERE all(r IN rs WHERE r.attack)
WITH secret, p, reduce(cost = 0, r IN rs | cost + r.cost) AS cost
ORDER BY cost, length(p)
WITH secret, collect({cost: cost, nodes: [n IN nodes(p) | n.id]})[0] AS cheapest
RETURN secret.id AS secret, cheapest.cost AS cost, cheapest.nodes AS path
ORDER BY cost, secret
