"""Running the site: health checks, failing fast, request ids and logs, error reports, the client's address,
sign-in lockout and security headers."""
