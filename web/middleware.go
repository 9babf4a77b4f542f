package web

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"gatehouse/web/app"
)

// middleware is the order every request passes through (ARCHITECTURE.md,
// How a request flows): routing fixes, the log, recovery, the admission
// queue, headers, the auth context, then CSRF.
func (s *Server) middleware() {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Pre(s.k.SubdomainRewrite)
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRemoteIP: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{slog.String("method", v.Method), slog.String("uri", app.RedactURI(v.URI)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP)}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			s.k.Log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(s.admission.Middleware)
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            0,
		ReferrerPolicy:        "strict-origin-when-cross-origin",
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
	}))
	e.Use(middleware.BodyLimit("8M"))
	if s.k.Base.Scheme == "https" {
		e.Use(hsts)
	}
	e.Use(s.k.LoadAuth)
	e.Use(s.k.CSRF) // after LoadAuth: a signed-in request's token is its session's
}

// hstsValue: browsers that saw the https base URL once never try http again
// (two years, subdomains included: organizations live on subdomains).
const hstsValue = "max-age=63072000; includeSubDomains"

// hsts is set whenever the base URL is https, whatever the connection says:
// behind a TLS-terminating proxy the request itself arrives as plain http.
func hsts(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Strict-Transport-Security", hstsValue)
		return next(c)
	}
}
