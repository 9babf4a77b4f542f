// Package domain is Gatehouse's vocabulary: the words services, the store,
// import and the web layer share. Today it holds the one error type (a code,
// a message and per-field messages) and the one table from code to HTTP
// status (ARCHITECTURE.md, Errors).
package domain
