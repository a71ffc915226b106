import { createRoot } from 'react-dom/client';
import { loadCentreTimeZone } from '../time-format';
import { StaffApp } from './StaffApp';
import './staff.css';

// Dates and times in the centre's zone; the first screen (a login form) shows none, so no need to wait.
void loadCentreTimeZone();
createRoot(document.getElementById('root') as HTMLElement).render(<StaffApp />);
