import { createRoot } from 'react-dom/client';
import { loadCentreTimeZone } from '../time-format';
import { CandidateApp } from './CandidateApp';
import './candidate.css';

// Dates and times in the centre's zone; the first screen (a login form) shows none, so no need to wait.
void loadCentreTimeZone();
createRoot(document.getElementById('root') as HTMLElement).render(<CandidateApp />);
