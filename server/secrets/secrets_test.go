package secrets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTripAndRotation(t *testing.T) {
	old, err := New("old passphrase")
	if err != nil {
		t.Fatal(err)
	}
	ct, err := old.Encrypt("シークレット-token")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, []byte("token")) {
		t.Fatal("ciphertext contains the plaintext")
	}
	rotated, err := New("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "old passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if rotated.IsCurrent(ct) {
		t.Fatal("old ciphertext reported current after rotation")
	}
	if pt, err := rotated.Decrypt(ct); err != nil || pt != "シークレット-token" {
		t.Fatalf("decrypt with previous key = %q, %v", pt, err)
	}
	fresh, _ := New("another key")
	if _, err := fresh.Decrypt(ct); err != ErrUnknownKey {
		t.Fatalf("unknown key: %v", err)
	}
	ct[len(ct)-1] ^= 1
	if _, err := old.Decrypt(ct); err == nil {
		t.Fatal("tampered ciphertext decrypted")
	}
}

func TestKeyFileIsPrivateAndStable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LoadOrCreateKeyFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", st.Mode(), err)
	}
	k2, _ := LoadOrCreateKeyFile(dir)
	if k1 != k2 || len(k1) != 64 {
		t.Fatalf("key changed or malformed: %q %q", k1, k2)
	}
}
