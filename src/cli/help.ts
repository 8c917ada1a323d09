import { apiKeyEnvVars, defaultBaseUrls, providerIds } from '../core/ids';

const keyLines = providerIds.map((id) => `  ${apiKeyEnvVars[id].padEnd(18)} API key for ${id}`).join('\n');
const baseLines = providerIds.map((id) => `  ${id.padEnd(9)} ${defaultBaseUrls[id]}`).join('\n');

/** `gpt-image --help`: the whole interface in one screen and a half. */
export const helpText = `gpt-image: generate and edit images with gpt-image-2 through OpenAI, Gravitex, Modellix or APIXO.

Usage:
  gpt-image generate --provider <openai|gravitex|modellix|apixo> --prompt <text> [options]
  gpt-image edit     --provider <id> --image <file|https-url> [--image ...] [--mask <file>] --prompt <text> [options]
  gpt-image batch    <file>.images.yaml|.json [--dry-run] [--force] [--concurrency <n>] [--poll-interval <sec>]
                     [--via batch-api] [--max-cost <usd>]
                     make every entry of a batch file that is missing or changed (see "Batch files")
  gpt-image jobs     list the journal: unfinished and recent jobs (state, age, provider, prompt, files),
                     what each one waits for, and where images that could not be written are kept
  gpt-image resume   finish every unfinished job in the journal, and move kept images into their
                     output folder, printing the files it writes
  gpt-image spend [--json]  the spend ledger by day (local time) and provider: what each job cost
  gpt-image mcp      an MCP server on stdio for coding agents (Claude Desktop, Cursor, Codex, VS Code):
                     tools generate_image, edit_image, list_jobs, resume_jobs on this same journal
  gpt-image cancel   <job> [--poll-interval <sec>]: stop a Batch API job at OpenAI, then save what it
                     had already made (that part is charged)
  gpt-image --help | --version

Options for generate and edit:
  --provider <id>          openai, gravitex, modellix or apixo (required)
  --prompt <text>          what to draw, or what to change (required)
  --model <id>             gpt-image-2 (default), gpt-image-1.5 (OpenAI, Modellix), or with OpenAI
                           gpt-image-2.5-flare, gpt-image-2.5-sunburst, gpt-image-2.6-flare, gpt-image-2.6-sunburst
  --like <model>           with --model <newer id>: send that id, assuming the capabilities of this listed
                           model (OpenAI, Gravitex); each result warns "capabilities assumed from <model>"
  --size <WxH>             e.g. 1536x1024, auto (default), or an aspect ratio such as 16:9@4k;
                           mapped to what the provider offers, with a warning when that changes it
  --quality <q>            low, medium, high or auto; xhigh and max on gpt-image-2.5/2.6
  --background <b>         auto, opaque or transparent (transparent: gpt-image-1.5 and gpt-image-2.5
                           through OpenAI or Modellix, not gpt-image-2; needs png or webp)
  --format <f>             png, jpeg or webp (OpenAI only; Gravitex, Modellix and APIXO ignore it, with a warning)
  --compression <0-100>    jpeg/webp quality (OpenAI only); refused with png
  --moderation <m>         auto or low (OpenAI generations only; ignored elsewhere, with a warning)
  --n <count>              number of images (default 1); Modellix and APIXO make one paid task per image
  --partial-images <0-3>   OpenAI: stream that many partial previews before the final image (default 0,
                           no streaming; one image only); each partial can add output tokens (~100 each,
                           per OpenAI's guide); only the final image is written
  --out <dir>              output folder, relative to the current directory; created if missing, and
                           checked (a folder, writable) before anything is sent.
                           Default: ./images for generate; for edit, the folder of the first input file
  --base-url <url>         the prefix the provider's documented paths are appended to (see below)
  --poll-interval <sec>    Modellix/APIXO: poll every <sec> seconds (0.05 to 3600) instead of the provider's schedule
  --max-cost <usd>         refuse the run, before anything is sent (exit 2), when its estimate is higher;
                           a provider that publishes no price (Gravitex, Modellix) is refused under it
  --quiet                  no progress or warnings on stderr (errors are still printed)

Files are named {date}-{slug}-{index}.<ext> (edits: <name>-edit-<n>.<ext>, n after earlier edits), the extension taken
from the image bytes. An existing file is never overwritten: the next free name-2, name-3, ... is used.
Each image gets a provenance sidecar in <folder>/.gpt-image/<file>.json (prompt, provider, model,
parameters, task id, timing, cost estimate, source images).

Output:
  stdout   the absolute path of each written file, one per line, and nothing else
  stderr   progress and warnings (unless --quiet); an error is one line (a batch file's problems: one each)

Exit codes:
  0    every image was written
  1    failure (refused by the provider, task failed, network, ...), or some images were not written:
       the ones that were are still printed on stdout, and stderr names each one that failed
  2    invalid input, missing API key, or an output folder that cannot be written: nothing was sent
  3    the outcome of a paid request is unknown (connection lost after sending): it may have been
       charged. The job id is printed; the job is kept as "unknown" and never resent automatically
  130  interrupted (Ctrl-C); a task that was being polled stays in the journal: run gpt-image resume.
       While a paid request is on its way, the first Ctrl-C keeps waiting (it may already be paid, and
       an image that arrives is saved; a task is recorded, then the wait stops); a second stops: exit 3

Batch files:
  defaults: { provider: openai, size: 1024x1024, out: assets/generated }
  images:
    - name: hero                 unique; files <out>/<name>.<ext>, <name>-<provider> with several
      prompt: Watercolor harbour   providers, then -<k> when n > 1
      providers: [openai, modellix]
      n: 2
  An entry takes the options above (images: [a list] for references); out, images and mask are
  relative to the batch file's folder and must stay inside it. Every entry is checked first: all
  problems are listed as <file>:<line>:<column> (exit 2, nothing sent). An entry whose files exist
  with sidecars recording the same request is up to date and skipped; a changed one is made again
  after its previous file is kept under <out>/.gpt-image/previous/; a file there that gpt-image did not
  make is a conflict (left untouched) unless --force, which keeps it there first.
  --dry-run                print the plan and the estimated cost; send nothing
  --force                  make entries whose file names are taken by other files (kept first)
  --concurrency <n>        requests in flight in all (default 8); each provider's own limit adapts
                           below it: halved on a 429, paused for its Retry-After, grown back slowly
  --max-cost <usd>         refuse the whole batch (exit 2, nothing sent) when the estimate of what it
                           would make passes it (with --via batch-api: the discounted estimate)
  Each entry is a job in the journal: after a kill, gpt-image resume finishes what was sent, and the
  batch run again makes the rest (an earlier run's unfinished job is finished, never sent again).
  Progress: on a terminal one updating line; otherwise one line per finished entry. Exit codes as
  below: 1 when an entry failed or conflicted (each named on stderr).
  --via batch-api          the entries to make as one OpenAI Batch job (OpenAI entries only): half the
                           price, results within 24 h. The JSONL is uploaded, the batch created and its
                           status read slowly (every 15 s, then every minute, then every 5 minutes;
                           --poll-interval sets it); each image is written under its entry's name.
                           Ctrl-C stops waiting (OpenAI keeps going; gpt-image resume collects the
                           images); gpt-image cancel <job> stops it. An edit's images are uploaded once
                           each (purpose=vision, free) and named by file id; edits go only at auto,
                           1024x1024, 1536x1024 or 1024x1536.

Environment:
${keyLines}
  GPT_IMAGE_<PROVIDER>_BASE_URL  base URL override, e.g. GPT_IMAGE_MODELLIX_BASE_URL (--base-url wins)
  GPT_IMAGE_HOME     journal folder (default $XDG_STATE_HOME/gpt-image, else ~/.local/state/gpt-image)
  GPT_IMAGE_JOURNAL_RETENTION_DAYS  days finished jobs stay in the journal (default 30; unknown ones stay)
  GPT_IMAGE_SPEND_LIMIT  caps in USD per local calendar day and month, in all or per provider, as JSON:
                     {"day": 5, "month": 50, "providers": {"openai": {"day": 2}}}
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxy settings (loopback never uses the proxy)

MCP server (gpt-image mcp [--poll-interval <sec>]):
  stdout carries MCP messages only; progress and warnings go to stderr. Keys and base URLs come from
  the variables above. Relative out_dir and image paths resolve against the client's MCP roots, else
  the current directory; anything outside them (symbolic links resolved) is refused and nothing is
  sent. Results name files by absolute path with a resource_link each, never image data.
  GPT_IMAGE_PROVIDER  the provider when a call names none (default openai)
  GPT_IMAGE_OUT       the default out_dir (default images)
  GPT_IMAGE_MCP_WAIT_SECONDS  how long a call waits for its job (default 600); past it the call
                     returns the job id, the job goes on, and resume_jobs returns its files
  GPT_IMAGE_SPEND_LEDGER  an absolute folder holding the editor's spend ledger (one file per entry);
                     VS Code sets it when it starts the server, so the caps count the window's
                     spending and the server's together. Unset: $GPT_IMAGE_HOME/spend/

Base URLs (defaults):
${baseLines}
  Plain http:// is refused except for loopback hosts (localhost, 127.0.0.1, ::1), so a key is never
  sent in clear text; the key is only ever sent to the base URL's host, never to result download hosts.

Journal:
  Every job is written to the journal before its paid request is sent, and updated as it moves:
  submitting -> polling -> downloading -> saved, or failed, unknown, cancelled, needs attention. If
  the process dies while a task is being polled, gpt-image resume finishes it into the original
  output folder. A download that fails while the result links can still be valid (about 24 hours
  after the task finished: a 404 while the CDN catches up, a challenge page) keeps the job
  downloading, and gpt-image resume tries it again.
  A paid image is never dropped: if writing it fails (disk full, permissions, the folder replaced
  by a file), its bytes are kept in $GPT_IMAGE_HOME/rescued/<job>/ and the job "needs attention";
  the path is printed, gpt-image jobs lists it, and gpt-image resume moves it into the output
  folder once that can be written (the kept copy is then removed).

Spend:
  Every job's estimate is written to $GPT_IMAGE_HOME/spend/ before its paid request is sent, and what it
  cost once it ends: OpenAI's reported token usage x token rates, APIXO's published price per image,
  else the estimate (marked so). A run that would pass --max-cost or GPT_IMAGE_SPEND_LIMIT (jobs still
  under way count at their estimate) stops before anything is sent, naming what it would cost and what
  was spent (exit 2). Gravitex and Modellix publish no price: under a cap that covers them they are
  refused rather than guessed; they run freely where no cap applies to them. The ledger keeps the
  current UTC month and the 12 before it; older months are removed.
`;
