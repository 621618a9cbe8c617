// The operations console: the admin API (/api/v1/admin) seen live. Every value from the API is put
// into the page as text (textContent), never as markup, so a payload cannot inject anything.
'use strict';

// resolved without the page URL's user info: fetch refuses a URL holding credentials
const API = new URL('../api/v1/admin/', window.location.origin + window.location.pathname).href;
const REFRESH_MILLIS = 2000;
const CHART_WINDOW_MILLIS = 5 * 60 * 1000;
const PAGE_SIZE = 20;
const COLOURS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4b5563'];

const state = { page: 1, total: 0, selected: null, lagHistory: [], listing: 0 };

const $ = (id) => document.getElementById(id);

async function call(path, options = {}) {
    const response = await fetch(API + path, { credentials: 'same-origin', ...options });
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
        throw new Error(body && body.detail ? body.detail : `${response.status} ${response.statusText}`);
    }
    return body;
}

function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (className) {
        td.className = className;
    }
    return td;
}

function showStatus(text, isError) {
    $('status').textContent = text;
    $('status').classList.toggle('error', Boolean(isError));
}

// an operator's action failed: shown until the next action
function showError(text) {
    $('error').textContent = text;
    $('error').hidden = false;
}

function clearError() {
    $('error').hidden = true;
}

function age(millis) {
    if (millis === null || millis === undefined) {
        return '';
    }
    const seconds = Math.round(millis / 1000);
    return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

// --- destinations and lag ---

async function refreshDestinations() {
    try {
        const destinations = await call('destinations');
        renderDestinations(destinations);
        recordLag(destinations);
        drawLagChart();
        fillQueueChoice(destinations);
        showStatus(`updated ${new Date().toLocaleTimeString()}`);
    } catch (e) {
        showStatus(`cannot reach the admin API: ${e.message}`, true);
    }
}

function renderDestinations(destinations) {
    const body = $('destinations').tBodies[0];
    body.replaceChildren();
    for (const d of destinations) {
        const row = body.insertRow();
        row.dataset.queue = d.name;
        if (d.kind === 'dead-letter' && d.messages > 0) {
            row.className = 'alert';
        }
        cell(row, d.name);
        cell(row, d.kind);
        cell(row, d.messages, 'number');
        cell(row, age(d.oldest_message_age_millis), 'number');
        cell(row, d.consumers, 'number');
        cell(row, d.delivering, 'number');
        cell(row, d.added, 'number');
        cell(row, d.acknowledged, 'number');
        cell(row, d.killed, 'number');
    }
}

function recordLag(destinations) {
    const now = Date.now();
    const sample = { at: now, messages: {} };
    for (const d of destinations) {
        if (d.kind === 'subscription' || d.kind === 'channel') {
            sample.messages[d.name] = d.messages;
        }
    }
    state.lagHistory.push(sample);
    state.lagHistory = state.lagHistory.filter((s) => s.at >= now - CHART_WINDOW_MILLIS);
}

function drawLagChart() {
    const canvas = $('lag-chart');
    const context = canvas.getContext('2d');
    const { width, height } = canvas;
    const padding = 30;
    context.clearRect(0, 0, width, height);
    const queues = Object.keys(state.lagHistory.at(-1)?.messages || {}).sort();
    const highest = Math.max(1, ...state.lagHistory.flatMap((s) => Object.values(s.messages)));
    const now = Date.now();
    const x = (at) => padding + (width - 2 * padding) * (1 - (now - at) / CHART_WINDOW_MILLIS);
    const y = (value) => height - padding - (height - 2 * padding) * (value / highest);
    context.strokeStyle = '#9ca3af';
    context.fillStyle = '#4b5563';
    context.font = '11px system-ui';
    context.beginPath();
    context.moveTo(padding, padding);
    context.lineTo(padding, height - padding);
    context.lineTo(width - padding, height - padding);
    context.stroke();
    context.fillText(String(highest), 2, padding + 4);
    context.fillText('0', 2, height - padding);
    context.fillText('−5 min', padding, height - 10);
    context.fillText('now', width - padding - 20, height - 10);
    queues.forEach((queue, index) => {
        context.strokeStyle = COLOURS[index % COLOURS.length];
        context.beginPath();
        state.lagHistory.forEach((sample, i) => {
            const value = sample.messages[queue] || 0;
            if (i === 0) {
                context.moveTo(x(sample.at), y(value));
            } else {
                context.lineTo(x(sample.at), y(value));
            }
        });
        context.stroke();
    });
    drawLegend(queues);
}

// each line's colour beside its queue and the messages it holds now, as the chart draws them
function drawLegend(queues) {
    const latest = state.lagHistory.at(-1)?.messages || {};
    const entries = queues.map((queue, index) => {
        const entry = document.createElement('span');
        entry.className = 'legend-entry';
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.backgroundColor = COLOURS[index % COLOURS.length];
        const label = document.createElement('span');
        label.textContent = `${queue} ${latest[queue]}`;
        entry.append(swatch, label);
        return entry;
    });
    $('lag-legend').replaceChildren('Messages waiting, last 5 minutes: ', ...entries);
}

function fillQueueChoice(destinations) {
    const select = $('queue');
    if (select.options.length > 0) {
        return;
    }
    const deadLetterQueues = destinations.filter((d) => d.kind === 'dead-letter');
    for (const d of deadLetterQueues) {
        select.add(new Option(d.name, d.name));
    }
    // opens on the dead-letter queue that holds the most, where the operator is needed
    const fullest = deadLetterQueues.reduce((most, d) => (d.messages > (most?.messages ?? 0) ? d : most), null);
    if (fullest) {
        select.value = fullest.name;
    }
    loadDeadLetters();
}

// --- dead letters ---

function selectionQuery() {
    const query = new URLSearchParams();
    for (const [field, id] of [['event_type', 'event-type'], ['user_id', 'user-id'], ['original_queue', 'original-queue']]) {
        const value = $(id).value.trim();
        if (value) {
            query.set(field, value);
        }
    }
    return query;
}

function deadLetterPath(suffix = '') {
    return `dead-letters/${encodeURIComponent($('queue').value)}${suffix}`;
}

async function loadDeadLetters() {
    const query = selectionQuery();
    query.set('page', state.page);
    query.set('size', PAGE_SIZE);
    // only the latest listing is shown, however the answers arrive
    const listing = ++state.listing;
    clearError();
    try {
        const result = await call(`${deadLetterPath()}?${query}`);
        if (listing !== state.listing) {
            return;
        }
        state.total = result.total;
        renderDeadLetters(result.items);
    } catch (e) {
        showError(e.message);
    }
}

function renderDeadLetters(items) {
    const body = $('dead-letters').tBodies[0];
    body.replaceChildren();
    for (const item of items) {
        const row = body.insertRow();
        row.dataset.id = item.id;
        cell(row, new Date(item.timestamp).toLocaleString());
        cell(row, item.event_id);
        cell(row, item.event_type);
        cell(row, item.user_id);
        cell(row, item.original_queue);
        cell(row, item.reason, 'reason');
        row.addEventListener('click', () => showDetail(item.id, row));
    }
    const pages = Math.max(1, Math.ceil(state.total / PAGE_SIZE));
    $('dead-letter-count').textContent = `${state.total} message(s) match`;
    $('page').textContent = `page ${state.page} of ${pages}`;
    $('previous-page').disabled = state.page <= 1;
    $('next-page').disabled = state.page >= pages;
}

async function showDetail(id, row) {
    clearError();
    try {
        const detail = await call(deadLetterPath(`/${encodeURIComponent(id)}`));
        for (const selected of document.querySelectorAll('#dead-letters tr.selected')) {
            selected.classList.remove('selected');
        }
        row?.classList.add('selected');
        state.selected = id;
        $('detail').hidden = false;
        $('detail-id').textContent = id;
        $('detail-reason').textContent = detail.summary.reason || '(the broker dead-lettered it: see the failed attempts)';
        const failures = $('detail-failures');
        failures.replaceChildren();
        for (const failure of detail.failures) {
            const li = document.createElement('li');
            li.textContent = `attempt ${failure.attempt} at ${new Date(failure.failed_at).toLocaleString()}: ${failure.reason}`;
            failures.append(li);
        }
        const properties = $('detail-properties');
        properties.replaceChildren();
        for (const [name, value] of [...Object.entries(detail.headers), ...Object.entries(detail.properties)]) {
            const dt = document.createElement('dt');
            dt.textContent = name;
            const dd = document.createElement('dd');
            dd.textContent = String(value);
            properties.append(dt, dd);
        }
        $('payload').textContent = pretty(detail.body);
    } catch (e) {
        showError(e.message);
    }
}

function pretty(body) {
    if (body === null || body === undefined) {
        return '(not a text message)';
    }
    try {
        return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
        return body;
    }
}

async function act(method, suffix, question) {
    if (!state.selected || !window.confirm(question)) {
        return;
    }
    try {
        await call(deadLetterPath(`/${encodeURIComponent(state.selected)}${suffix}`), { method });
        showStatus(`${method === 'DELETE' ? 'deleted' : 'sent back'}: ${state.selected}`);
        state.selected = null;
        $('detail').hidden = true;
        loadDeadLetters();
    } catch (e) {
        showError(e.message);
    }
}

async function retrySelection() {
    const selection = Object.fromEntries(selectionQuery());
    const everything = Object.keys(selection).length === 0;
    const question = everything ? `Retry every message of ${$('queue').value}?` : `Retry the ${state.total} matching message(s)?`;
    if (!window.confirm(question)) {
        return;
    }
    try {
        const job = await call(deadLetterPath('/retries'), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ ...selection, all: everything, rate_per_second: Number($('rate').value) }),
        });
        followJob(job.id);
    } catch (e) {
        showError(e.message);
    }
}

async function purgeSelection() {
    const selection = selectionQuery();
    const everything = [...selection.keys()].length === 0;
    const question = everything ? `Delete every message of ${$('queue').value} for good (purge)?`
        : `Delete the ${state.total} matching message(s) of ${$('queue').value} for good?`;
    if (!window.confirm(question)) {
        return;
    }
    if (everything) {
        selection.set('all', 'true');
    }
    clearError();
    try {
        const result = await call(`${deadLetterPath()}?${selection}`, { method: 'DELETE' });
        showStatus(`deleted ${result.deleted} message(s) of ${$('queue').value}`);
        state.page = 1;
        loadDeadLetters();
    } catch (e) {
        showError(e.message);
    }
}

async function followJob(id) {
    const progress = $('job-progress');
    progress.hidden = false;
    const job = await call(`jobs/${id}`);
    progress.max = Math.max(1, job.total || 0);
    progress.value = job.done + job.failed;
    $('job-status').textContent = `${job.status}: ${job.done} of ${job.total ?? '?'} retried`
        + (job.failed ? `, ${job.failed} failed` : '') + (job.last_error ? ` (${job.last_error})` : '');
    if (job.status === 'running') {
        setTimeout(() => followJob(id), 500);
    } else {
        loadDeadLetters();
    }
}

document.addEventListener('DOMContentLoaded', () => {
    $('dead-letter-filter').addEventListener('submit', (event) => {
        event.preventDefault();
        state.page = 1;
        loadDeadLetters();
    });
    $('queue').addEventListener('change', () => {
        state.page = 1;
        loadDeadLetters();
    });
    $('previous-page').addEventListener('click', () => { state.page--; loadDeadLetters(); });
    $('next-page').addEventListener('click', () => { state.page++; loadDeadLetters(); });
    $('retry').addEventListener('click', () => act('POST', '/retry', 'Send this message back to its original queue?'));
    $('delete').addEventListener('click', () => act('DELETE', '', 'Delete this message for good?'));
    $('retry-selection').addEventListener('click', retrySelection);
    $('purge-selection').addEventListener('click', purgeSelection);
    refreshDestinations();
    setInterval(refreshDestinations, REFRESH_MILLIS);
});
