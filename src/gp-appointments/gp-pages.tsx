import { Hono, type Context } from 'hono';
import { AppError } from '../lib/errors.js';
import { ErrorSummary } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { commitGpImport, GP_FIELDS, previewGpImport, type GpMapping, type GpPreview } from './gp-import.js';
import { ReflowTable } from '../web/components/reflow-table.js';

const admin = pageRoles('admin');
const LABELS = { chi: 'CHI number', from: 'Period from', to: 'Period to', appointments: 'Appointments' };

/** A form with a file in it: `form()` checks it and keeps its fields; the file is read from the same parsed body. */
async function uploadForm(c: Context<WebEnv>) {
  const f = await form(c);
  const body = await c.req.parseBody();
  const file = body.file instanceof File && body.file.size > 0 ? await body.file.text() : '';
  const text = (k: string) => str(f[k]);
  return { text, csv: file || text('csv') };
}

function ImportForm(p: { csrf: string; csv: string; preview?: GpPreview }) {
  return (
    <form novalidate method="post" action="/reports/gp-appointments" enctype="multipart/form-data">
      <Csrf token={p.csrf} />
      {!p.preview && (
        <>
          <label for="file">The export from your clinical system (CSV)</label>
          <p id="file-hint" class="muted">
            One row per person and period: CHI number, from, to, number of appointments. Other column names are fine: you can match them after checking.
          </p>
          <input id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="file-hint" />
          <label for="csv">Or paste it</label>
        </>
      )}
      <textarea id="csv" name="csv" rows={p.preview ? 3 : 6} hidden={!!p.preview}>
        {p.csv}
      </textarea>
      {p.preview && (
        <fieldset>
          <legend>Which column holds what</legend>
          {GP_FIELDS.map((f) => (
            <>
              <label for={`map-${f}`}>{LABELS[f]}</label>
              <select id={`map-${f}`} name={`map_${f}`}>
                {p.preview!.columns.map((col) => (
                  <option value={col} selected={p.preview!.mapping[f] === col}>
                    {col}
                  </option>
                ))}
              </select>
            </>
          ))}
        </fieldset>
      )}
      <p class="row">
        <button type="submit" name="action" value="preview" class={p.preview ? 'secondary' : undefined}>
          Check the file
        </button>
        {p.preview && p.preview.errors.length === 0 && (
          <button type="submit" name="action" value="import">
            Import {p.preview.valid - p.preview.notParticipants} rows
          </button>
        )}
      </p>
    </form>
  );
}

function PreviewTable(p: { preview: GpPreview }) {
  const v = p.preview;
  return (
    <>
      <p>
        {v.rows} rows: {v.valid} correct, of which {v.valid - v.notParticipants} are for people in this service
        {v.notParticipants > 0 && ` (${v.notParticipants} for others will not be stored)`}.
      </p>
      {v.errors.length > 0 && (
        <ReflowTable
          caption="Rows to fix before importing (nothing is imported until every row is right)"
          rows={v.errors}
          columns={[
            { heading: 'Row', cell: (e) => e.row },
            { heading: 'Problem', cell: (e) => e.message },
          ]}
        />
      )}
    </>
  );
}

/** Importing GP appointment counts: upload, check (mapped columns, errors per row), then import. */
export const gpPages = new Hono<WebEnv>()
  .get('/reports/gp-appointments', admin, (c) =>
    c.html(
      <Layout title="GP appointment counts" user={c.var.user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <p>The impact report compares appointments in the year before someone's first session with the months after. Only counts are kept, never reasons.</p>
        <ImportForm csrf={c.var.csrf} csv="" />
      </Layout>,
    ),
  )
  .post('/reports/gp-appointments', admin, async (c) => {
    const { text, csv } = await uploadForm(c);
    const { db, user, clock } = c.var;
    const mapping: GpMapping = Object.fromEntries(GP_FIELDS.map((f) => [f, text(`map_${f}`)]).filter(([, v]) => v));
    try {
      if (text('action') === 'import') {
        const r = await commitGpImport(db, user, clock.now().getTime(), csv, mapping);
        return c.redirect(`/reports/gp-appointments?done=${encodeURIComponent(`${r.imported} rows imported.`)}`, 303);
      }
      const { keep: _, ...preview } = await previewGpImport(db, user.practiceId, csv, mapping);
      return c.html(
        <Layout title={`${preview.errors.length ? 'Error: ' : ''}Check the GP appointment counts`} user={user} csrf={c.var.csrf}>
          <PreviewTable preview={preview} />
          <ImportForm csrf={c.var.csrf} csv={csv} preview={preview} />
        </Layout>,
        preview.errors.length ? 422 : 200,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'forbidden') throw err;
      return c.html(
        <Layout title="Error: GP appointment counts" user={user} csrf={c.var.csrf}>
          <ErrorSummary problems={[{ field: 'file', message: err.message }]} />
          <ImportForm csrf={c.var.csrf} csv={csv} />
        </Layout>,
        422,
      );
    }
  });
