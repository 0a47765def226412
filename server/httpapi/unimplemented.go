package httpapi

import (
	"context"

	"hrbridge/api"
	"hrbridge/server/problem"
)

// unimplemented answers 501 for operations whose area has not landed yet.
type unimplemented struct{}

func (unimplemented) ListImports(context.Context, api.ListImportsRequestObject) (api.ListImportsResponseObject, error) {
	return nil, problem.New(501, "ListImports is not implemented yet.")
}

func (unimplemented) CreateImport(context.Context, api.CreateImportRequestObject) (api.CreateImportResponseObject, error) {
	return nil, problem.New(501, "CreateImport is not implemented yet.")
}

func (unimplemented) GetImport(context.Context, api.GetImportRequestObject) (api.GetImportResponseObject, error) {
	return nil, problem.New(501, "GetImport is not implemented yet.")
}

func (unimplemented) CancelImport(context.Context, api.CancelImportRequestObject) (api.CancelImportResponseObject, error) {
	return nil, problem.New(501, "CancelImport is not implemented yet.")
}

func (unimplemented) StreamImportEvents(context.Context, api.StreamImportEventsRequestObject) (api.StreamImportEventsResponseObject, error) {
	return nil, problem.New(501, "StreamImportEvents is not implemented yet.")
}

func (unimplemented) ListImportResults(context.Context, api.ListImportResultsRequestObject) (api.ListImportResultsResponseObject, error) {
	return nil, problem.New(501, "ListImportResults is not implemented yet.")
}

func (unimplemented) RetryImport(context.Context, api.RetryImportRequestObject) (api.RetryImportResponseObject, error) {
	return nil, problem.New(501, "RetryImport is not implemented yet.")
}

func (unimplemented) ListNotifications(context.Context, api.ListNotificationsRequestObject) (api.ListNotificationsResponseObject, error) {
	return nil, problem.New(501, "ListNotifications is not implemented yet.")
}

func (unimplemented) MarkNotificationRead(context.Context, api.MarkNotificationReadRequestObject) (api.MarkNotificationReadResponseObject, error) {
	return nil, problem.New(501, "MarkNotificationRead is not implemented yet.")
}
