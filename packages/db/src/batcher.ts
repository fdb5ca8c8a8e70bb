// Group commit: concurrent callers submit items (a message to store, a send reservation, a
// message outcome) and each awaits its own answer, while the database sees one statement (or one
// transaction) per batch. One batch runs at a time; what arrives meanwhile forms the next.
// `run` must be atomic: a failed batch is retried item by item, so that one bad item fails alone
// and nothing is applied twice.

interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

export class Batcher<In, Out> {
  private pending: Waiting<In, Out>[] = [];
  private draining = false;

  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const answers = await this.run(batch.map((w) => w.item));
        batch.forEach((w, i) => {
          w.resolve(answers[i] as Out);
        });
      } catch (error) {
        if (batch.length === 1) {
          batch[0]?.reject(error);
          continue;
        }
        for (const w of batch) {
          await this.run([w.item]).then(
            (answers) => w.resolve(answers[0] as Out),
            (e: unknown) => w.reject(e),
          );
        }
      }
    }
    this.draining = false;
  }
}
