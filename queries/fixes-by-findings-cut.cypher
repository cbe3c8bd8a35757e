// Purpose: the suggested fixes ranked by what they cut: how many findings, how many of their paths,
//   and which severities; choke points (analyze's ranking over all findings) carry their rank.
// Parameters: $cluster (the export's --cluster), $limit (how many fixes).
// Example: {"cluster": "default", "limit": 20}
MATCH (x:Fix {cluster: $cluster})-[c:CUTS]->(f:Finding)
WITH x, count(f) AS findings, sum(c.paths) AS paths, collect(DISTINCT f.severity) AS severities
RETURN x.action AS fix, x.object AS object, findings, paths, severities, x.chokePointRank AS chokePointRank
ORDER BY findings DESC, paths DESC, fix
LIMIT toInteger($limit)
