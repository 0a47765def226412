// admin: 管理者とユーザー, APIトークン, 操作ログ
export { UsersPage } from './UsersPage';
export { ApiTokensPage } from './ApiTokensPage';
export { AuditLogPage } from './AuditLogPage';
