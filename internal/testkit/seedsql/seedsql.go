// Package seedsql is the set-based SQL the members benchmarks of the store
// and of the web layer seed with, so both spread names, roles, statuses and
// activity alike (by hashes of the id, so no filter lines up with the name
// order). It imports nothing, so the store's own tests may use it; only
// tests do.
package seedsql

// Users inserts ?1 accounts, member<i><suffix>@bench.test, with names from
// 20 first and 30 last names; emailSuffix is an SQL expression (the empty
// SQL string for none) that keeps the accounts of several seeds apart.
func Users(emailSuffix string) string {
	return `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?1)
	 INSERT INTO users (email, name, created_at)
	 SELECT 'member' || i || ` + emailSuffix + ` || '@bench.test',
	  json_extract('["Ada","Ben","Chloé","Dmitri","Eve","Farah","Gus","Hana","Ivan","Jun","Kofi","Lena","Mateo","Nia","Omar","Priya","Quinn","Rosa","Sven","Tariq"]', '$[' || (i * 7 % 20) || ']')
	  || ' ' || json_extract('["Smith","Jones","García","Müller","Rossi","Silva","Kim","Nguyen","Okafor","Novak","Haddad","Larsen","Costa","Sato","Ivanova","Brown","Dubois","Kowalski","Yilmaz","Singh","Walsh","Moreau","Berg","Fischer","Lopez","Chen","Patel","Ali","Khan","Santos"]', '$[' || (i * 13 % 30) || ']'),
	  0 FROM s`
}

// Memberships makes the accounts where selects (an SQL condition on users
// u) members of organization ?2: a tenth admins, a tenth managers, a fifth
// sales, the rest agents; one in 40 suspended; one in 7 never active.
func Memberships(where string) string {
	return `INSERT INTO memberships (org_id, user_id, role, status, created_at, last_active_at, user_name, user_email)
	 SELECT ?2, u.id,
	  CASE u.id * 2654435761 % 4294967291 % 10 WHEN 0 THEN 'admin' WHEN 1 THEN 'manager' WHEN 2 THEN 'sales' WHEN 3 THEN 'sales' ELSE 'agent' END,
	  CASE WHEN u.id * 40503 % 65521 % 40 = 0 THEN 'suspended' ELSE 'active' END, 0,
	  CASE WHEN u.id % 7 = 0 THEN NULL ELSE 1700000000 + u.id * 37 % 5000000 END, u.name, u.email
	 FROM users u WHERE ` + where
}
