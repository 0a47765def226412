// imports: an import's progress and results, and 連携履歴
export { ImportPage } from './ImportPage';
export { HistoryPage } from './HistoryPage';
