/**
 * Group commit: saves that arrive in the same turn of the event loop are written in one transaction
 * (one fsync under synchronous=FULL) and acknowledged together, after the commit (design.md, Durability).
 */
export class SaveBatcher<Req, Res> {
  private queue: { req: Req; resolve: (r: Res) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    /** Runs all requests in one transaction; returns one outcome per request (a value or an Error). */
    private readonly commit: (reqs: Req[]) => (Res | Error)[],
    private readonly maxBatch = 2000,
  ) {}

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      let outcomes: (Res | Error)[];
      try {
        outcomes = this.commit(batch.map((b) => b.req));
      } catch (err) {
        // The transaction rolled back (e.g. disk full): nothing in the batch is acknowledged.
        for (const b of batch) b.reject(err);
        continue;
      }
      batch.forEach((b, i) => {
        const outcome = outcomes[i];
        if (outcome instanceof Error) b.reject(outcome);
        else b.resolve(outcome as Res);
      });
    }
  }
}
