package httpapi

import (
	"errors"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// spa serves the built SPA: a file when one exists, index.html for any other
// path (deep links), never for /api paths.
func spa(dist fs.FS) echo.HandlerFunc {
	files := http.FileServer(http.FS(dist))
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if isAPI(p) {
			return echo.ErrNotFound
		}
		name := strings.TrimPrefix(path.Clean(p), "/")
		if name != "" {
			if st, err := fs.Stat(dist, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") { // content-hashed by Vite
					c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(c.Response(), c.Request())
				return nil
			}
		}
		index, err := fs.ReadFile(dist, "index.html")
		if errors.Is(err, fs.ErrNotExist) {
			return c.HTML(http.StatusOK, `<!doctype html><html lang="ja"><meta charset="utf-8"><title>hrbridge</title>`+
				`<p>画面がビルドされていません。<code>make build</code> を実行してください。 (The SPA is not built: run <code>make build</code>.)</p>`+
				`<p><a href="/api/docs">API reference</a></p></html>`)
		}
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, index)
	}
}
