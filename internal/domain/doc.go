// Package domain is Gatehouse's vocabulary: the words services, the store,
// import and the web layer share, as plain types. An organization (Org), an
// account (User), a user in an organization (Membership), a permission group
// (Group), who asks for a change (Actor), and the one error type (a code, a
// message and per-field messages) with the one table from code to HTTP
// status (ARCHITECTURE.md, Errors). It holds no SQL and no HTTP handling.
package domain
