package testkit

import "gatehouse/internal/testkit/smtptest"

// The SMTP listener lives in smtptest so the mail package's own tests can use
// it without importing the app; these aliases keep one harness vocabulary.
type (
	SMTPServer   = smtptest.SMTPServer
	ReceivedMail = smtptest.ReceivedMail
)

var (
	StartSMTP = smtptest.StartSMTP
	FindLink  = smtptest.FindLink
)
