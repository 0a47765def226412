package httpapi

import (
	"context"
	"net/http"

	"hrbridge/server/errcatalog"
)

// requestLang is the language a response's texts for people are written in:
// the first preference of Accept-Language (the SPA sends the language the
// user chose), Japanese by default.
func requestLang(r *http.Request) errcatalog.Lang {
	if r == nil {
		return errcatalog.Ja
	}
	return errcatalog.ParseLang(r.Header.Get("Accept-Language"))
}

// langOf is requestLang for a strict handler's context.
func langOf(ctx context.Context) errcatalog.Lang {
	if c := echoContext(ctx); c != nil {
		return requestLang(c.Request())
	}
	return errcatalog.Ja
}
