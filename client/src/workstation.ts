// Set in a seat's browser when a proctor enrols the workstation (staff console → 考位登记); the candidate
// screen sends it with the login so a candidate can start only at their own seat.
export const WORKSTATION_KEY = 'exam-center.workstation';
export const WORKSTATION_SEAT_KEY = 'exam-center.workstation-seat';
