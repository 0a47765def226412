// selection: the employee selection screen of one direction (diff, filter, selection, confirmation)
export { SelectionPage } from './SelectionPage';
