// auth: sign-in, the guard of the signed-in routes, sign-out, the account's language
export { LoginPage, safeNext } from './LoginPage';
export { RequireAuth } from './RequireAuth';
export { LanguageSync } from './LanguageSync';
export { useLogout } from './queries';
