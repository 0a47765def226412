package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hrbridge/server/mail"
	"hrbridge/server/mail/mailtest"
)

const body = "取り込みが完了しました。\n社員番号 E001: 姓は50文字以内で入力してください\n" +
	"とても長い行とても長い行とても長い行とても長い行とても長い行とても長い行とても長い行とても長い行\n"

func TestSendPlainOnLoopback(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	m, err := mail.New("smtp://"+srv.Addr, "hrbridge <noreply@example.jp>")
	if err != nil {
		t.Fatal(err)
	}
	subject := "ジョブカン連携の取り込みが一部失敗しました（SmartHRからジョブカンに取り込む）"
	if err := m.Send(context.Background(), mail.Message{To: []string{"Admin <admin@example.jp>"}, Subject: subject, Body: body}); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1, 5*time.Second)[0]
	if got.Subject != subject || got.Body != strings.ReplaceAll(body, "\r\n", "\n") {
		t.Errorf("received subject %q body %q", got.Subject, got.Body)
	}
	if got.From != "noreply@example.jp" || len(got.To) != 1 || got.To[0] != "admin@example.jp" || got.TLS {
		t.Errorf("envelope from %q to %v tls %v", got.From, got.To, got.TLS)
	}
	for _, h := range []string{"Date", "Message-Id", "Mime-Version"} {
		if got.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if ct := got.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestSendSTARTTLSWithAuth(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{STARTTLS: true, User: "hr", Password: "p@ss word"})
	m, err := mail.New("smtp://hr:p%40ss%20word@"+srv.Addr, "noreply@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	m.TLSConfig = srv.ClientTLS
	if err := m.Send(context.Background(), mail.Message{To: []string{"admin@example.jp"}, Subject: "件名", Body: "本文"}); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1, 5*time.Second)[0]
	if !got.TLS || got.User != "hr" || got.Body != "本文" {
		t.Errorf("tls %v user %q body %q", got.TLS, got.User, got.Body)
	}

	// A wrong password is an error that says so, never a silent drop.
	bad, _ := mail.New("smtp://hr:wrong@"+srv.Addr, "noreply@example.jp")
	bad.TLSConfig = srv.ClientTLS
	if err := bad.Send(context.Background(), mail.Message{To: []string{"admin@example.jp"}, Subject: "x", Body: "y"}); err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Errorf("wrong password: %v", err)
	}
}

func TestTemporaryFailureIsAnError(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Fail: 1})
	m, _ := mail.New("smtp://"+srv.Addr, "noreply@example.jp")
	msg := mail.Message{To: []string{"admin@example.jp"}, Subject: "x", Body: "y"}
	if err := m.Send(context.Background(), msg); err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("first send: %v, want the server's 451", err)
	}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages", n)
	}
}

func TestConfig(t *testing.T) {
	if m, err := mail.New("", "x@example.jp"); m != nil || err != nil {
		t.Errorf("empty URL: %v %v, want mail off", m, err)
	}
	for _, u := range []string{"http://host", "smtp://", "smtp://host?tls=maybe", "::"} {
		if _, err := mail.New(u, "x@example.jp"); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	if _, err := mail.New("smtp://user:secret@host", "not an address"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("bad From: %v", err)
	}
	m, err := mail.New("smtps://user:secret@mail.example.jp", "x@example.jp")
	if err != nil || m.String() != "smtps://mail.example.jp:465" {
		t.Errorf("smtps: %v %v", m, err)
	}
}

// A server that is down is an error, within the timeout.
func TestUnreachable(t *testing.T) {
	m, _ := mail.New("smtp://127.0.0.1:1", "x@example.jp")
	m.Timeout = 2 * time.Second
	if err := m.Send(context.Background(), mail.Message{To: []string{"a@example.jp"}, Subject: "x", Body: "y"}); err == nil {
		t.Fatal("no error")
	}
}
