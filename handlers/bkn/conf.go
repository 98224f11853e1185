package bkn

import (
	"fmt"
	"strings"
)

// NATSConfig is the register as a nats-server configuration block: the office users with
// OfficePermissions, for the standalone servers of a hub cluster (README › cluster), which must
// know the offices as the embedded server does. `pupns bkn nats-conf` prints it; include it in
// each standalone server's file and reload that server (nats-server --signal reload) after every
// `pupns bkn kantor`.
func NATSConfig(offices []Office) string {
	var b strings.Builder
	b.WriteString("# Dibuat oleh pupns bkn nats-conf dari daftar kantor hub. Jangan diubah dengan tangan.\n")
	b.WriteString("authorization {\n  users = [\n")
	for _, o := range offices {
		users, bad := officeUsers([]Office{o})
		if len(users) == 0 {
			fmt.Fprintf(&b, "    # dilewati: %v\n", bad)
			continue
		}
		u, p := users[0], users[0].Permissions
		fmt.Fprintf(&b, "    # kantor instansi %s\n", o.Instansi)
		fmt.Fprintf(&b, "    { nkey: %q, allowed_connection_types: [\"LEAFNODE\"],\n", u.Nkey)
		fmt.Fprintf(&b, "      permissions: { publish: { allow: %s }, subscribe: { allow: %s } } }\n",
			quoteList(p.Publish.Allow), quoteList(p.Subscribe.Allow))
	}
	b.WriteString("  ]\n}\n")
	return b.String()
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
