import { createRoot } from 'react-dom/client';
import { RegulatorApp } from './RegulatorApp';
import '../staff/staff.css';
import '../staff/audit/audit.css';
import './regulator.css';

// Times are shown in the default zone (Asia/Shanghai, time-format.ts): the regulator serves one province.
createRoot(document.getElementById('root') as HTMLElement).render(<RegulatorApp />);
