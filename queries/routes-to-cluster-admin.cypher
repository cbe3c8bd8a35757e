// Purpose: every pod and identity with a route to cluster-admin, ranked by its cheapest route's cost:
//   who to look at first.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH p = (start:KubepathNode {cluster: $cluster})-[rs*1..6]->(:ClusterAdmin {cluster: $cluster})
WHERE (start:Pod OR start:ServiceAccount OR start:User OR start:Group) AND all(r IN rs WHERE r.attack)
WITH start, min(reduce(cost = 0, r IN rs | cost + r.cost)) AS cost
RETURN start.id AS start, start.kind AS kind, cost
ORDER BY cost, start
