// Purpose: who holds cluster-admin, directly (IS_CLUSTER_ADMIN) or one deliberate step away
//   (escalating, impersonating or joining a group that holds it), and how.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH (holder:KubepathNode {cluster: $cluster})-[:IS_CLUSTER_ADMIN]->(:ClusterAdmin)
RETURN holder.id AS identity, 'direct' AS how, [] AS via
UNION
MATCH (who:KubepathNode {cluster: $cluster})-[r:CAN_ESCALATE|CAN_IMPERSONATE|MEMBER_OF]->(next:KubepathNode)
WHERE next:ClusterAdmin OR (next)-[:IS_CLUSTER_ADMIN]->(:ClusterAdmin)
RETURN who.id AS identity, 'derived' AS how, [type(r), next.id] AS via
