// Purpose: the blast radius of a pod: everything an attacker in it reaches within four moves, by
//   kind, with the cheapest cost (pod-to-pod network moves aside: see docs/export.md).
// Parameters: $cluster (the export's --cluster), $pod (the pod's id, e.g. pod:shop/storefront).
// Example: {"cluster": "default", "pod": "pod:ingress-nginx/ingress-nginx-controller"}
MATCH p = (:Pod {cluster: $cluster, id: $pod})-[rs*1..4]->(reached:KubepathNode)
WHERE all(r IN rs WHERE r.attack)
WITH reached, min(reduce(cost = 0, r IN rs | cost + r.cost)) AS cost
RETURN reached.kind AS kind, count(reached) AS reached, min(cost) AS cheapest, collect(reached.id)[0..10] AS some
ORDER BY cheapest, kind
