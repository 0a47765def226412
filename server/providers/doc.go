// Package providers groups the provider connectors: httpx (the shared HTTP
// layer: timeouts, retries, rate limits, typed errors), smarthr and jobkan
// (each implements sync.Connector). Its tests benchmark both against the
// sandbox simulators.
package providers
