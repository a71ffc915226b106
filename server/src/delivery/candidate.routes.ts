import { Router } from 'express';
import { candidateOf, requireCandidate } from '../http/middleware';
import type { DeliveryService } from './delivery.service';

export function candidateRoutes(delivery: DeliveryService): Router {
  const r = Router();
  r.get('/candidate/me', requireCandidate(), (_req, res) => {
    res.json(delivery.profile(candidateOf(res).registrationId));
  });
  return r;
}
