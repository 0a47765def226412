package store

import "time"

// The GORM models. Their columns must match migrations/{postgres,sqlite};
// schema_test.go proves it for both dialects.

type User struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	PasswordHash string
	Role         string
	Language     string `gorm:"default:ja"` // "ja" or "en": their notifications and mail
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

type Session struct {
	ID         string `gorm:"primaryKey"` // sha256 of the cookie value; the cookie itself is never stored
	UserID     string
	CSRFToken  string `gorm:"column:csrf_token"`
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

type APIToken struct {
	ID         string `gorm:"primaryKey"`
	Name       string
	TokenHash  string
	Prefix     string
	Scopes     string // comma separated
	UserID     string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (APIToken) TableName() string { return "api_tokens" }

// LoginFailure is one failed sign-in, kept for the throttling window.
type LoginFailure struct {
	ID        int64  `gorm:"primaryKey"`
	Email     string // lower-cased as typed
	IP        string
	CreatedAt time.Time
}

type AuditEvent struct {
	ID        string `gorm:"primaryKey"`
	Action    string
	Actor     string
	Target    *string
	IP        *string
	Detail    string // JSON object
	CreatedAt time.Time
}

// ConnectionSettings is the single row (ID 1) of 連携設定. Secret columns hold
// AES-GCM ciphertext, never plaintext.
type ConnectionSettings struct {
	ID                    int    `gorm:"primaryKey;autoIncrement:false"`
	SmartHRBaseURL        string `gorm:"column:smarthr_base_url"`
	SmartHRAccessTokenEnc []byte `gorm:"column:smarthr_access_token_enc"`
	JobkanAPIURL          string `gorm:"column:jobkan_api_url"`
	JobkanTokenURL        string
	JobkanClientID        string
	JobkanClientSecretEnc []byte
	UseBusinessName       bool
	EmploymentTypes       string // JSON array of {name, jobkan_code}
	UpdatedAt             time.Time
	UpdatedBy             string
}

type Import struct {
	ID              string `gorm:"primaryKey"`
	Integration     string
	Direction       string
	Status          string
	Total           int
	Done            int
	CreatedCount    int
	UpdatedCount    int
	UnchangedCount  int
	SkippedCount    int
	FailedCount     int
	StartedBy       string
	UserID          *string
	IdempotencyKey  string
	RequestHash     string
	RetryOf         *string
	CancelRequested bool
	CreatedAt       time.Time
	StartedAt       *time.Time
	FinishedAt      *time.Time
	// Waiting* say what a running import waits for between two runs while a
	// provider cannot be reached (all nil when it is not waiting).
	WaitingProvider      *string
	WaitingReasonCode    *string
	WaitingMessage       *string
	WaitingSince         *time.Time
	WaitingNextAttemptAt *time.Time
}

type ImportResult struct {
	ImportID       string `gorm:"primaryKey"`
	Position       int    `gorm:"primaryKey;autoIncrement:false"`
	EmployeeNumber string
	Fingerprint    string
	DisplayName    string
	Action         string
	Status         string // pending until the employee is done
	ChangedFields  string // comma separated
	ErrorCode      string
	ErrorMessage   string
	FinishedAt     *time.Time
	// WrittenRecord is the target record as the import left it (canonical
	// JSON, see diffs.EncodeRecord), for created and updated employees; the
	// diff snapshots of every instance apply it (diffs.Snapshots).
	WrittenRecord *string
}

type Notification struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	Kind      string
	Title     string
	Body      string
	ImportID  *string
	ReadAt    *time.Time
	CreatedAt time.Time
}

// Models lists every model, for the schema test.
func Models() []any {
	return []any{&User{}, &Session{}, &APIToken{}, &LoginFailure{}, &AuditEvent{}, &ConnectionSettings{}, &Import{}, &ImportResult{}, &Notification{}}
}
