package app

import (
	"hrbridge/server/diffs"
	"hrbridge/server/httpapi"
	"hrbridge/server/integration"
	"hrbridge/server/sandbox"
)

// setupIntegration builds the connection settings service and the diff
// snapshots. With the sandbox on, unconfigured settings point at the
// simulators: in this process (HRBRIDGE_SANDBOX=1) or another.
func (a *App) setupIntegration(h *httpapi.Handlers) {
	root := a.Cfg.Sandbox
	if root == "1" {
		root = integration.SandboxRoot(a.Cfg.Addr)
		a.Sandbox = sandbox.New(sandbox.Options{Seed: 1, Size: a.Cfg.SandboxSize})
	}
	a.Conns = integration.New(a.Store, a.Secrets, root)
	a.Conns.Zone = a.Cfg.TimeZone
	a.Conns.Guard.AllowPrivate = a.Cfg.AllowPrivateProviders
	a.Conns.HTTP.RetryBudget = a.Cfg.ProviderRetryBudget
	a.Snapshots = diffs.New(a.Conns, a.Cfg.DiffSnapshotTTL, diffs.FromStore(a.Store))
	a.Snapshots.SetRefreshLimits(diffs.RefreshLimits{DB: a.Store.DB, Cooldown: a.Cfg.DiffRefreshCooldown, PerCaller: a.Cfg.DiffRefreshPerCaller})
	h.Integration = httpapi.Integration{Conns: a.Conns, Snapshots: a.Snapshots, Audit: a.Audit}
}
