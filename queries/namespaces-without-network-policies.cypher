// Purpose: namespaces with pods but no NetworkPolicy: every pod there takes any connection.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH (pod:Pod {cluster: $cluster})-[:IN_NAMESPACE]->(ns:Namespace)
WHERE NOT EXISTS { MATCH (:NetworkPolicy)-[:IN_NAMESPACE]->(ns) }
RETURN ns.name AS namespace, count(pod) AS pods
ORDER BY pods DESC, namespace
