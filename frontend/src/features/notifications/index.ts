// notifications: the header's bell (in-app notifications of finished imports)
export { NotificationBell } from './NotificationBell';
