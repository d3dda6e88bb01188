-- wrk script for every benchmark run: builds the POST bodies of the write
-- scenarios, counts non-2xx responses and prints a JSON summary line.
--
-- Arguments after "--": MODE RUN_PREFIX THREADS [IDS_FILE]
--   MODE        get, add, edit or delete
--   RUN_PREFIX  three digits, different for every run, so that phone numbers
--               added by one run never collide with those of another run
--   THREADS     the value of wrk's -t, so that each thread takes its own ids
--   IDS_FILE    one user_id per line (edit and delete only)

local threads = {}

function setup(thread)
  -- setup runs in wrk's main Lua state once per thread, before that thread's init.
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local function read_ids(path, index, thread_count)
  -- Thread i takes lines i, i + THREADS, i + 2 * THREADS, ... so that no two
  -- threads send the same id: a delete would otherwise get a 404.
  local ids = {}
  local line_number = 0
  for line in io.lines(path) do
    if line ~= "" then
      if line_number % thread_count == index then
        table.insert(ids, line)
      end
      line_number = line_number + 1
    end
  end
  return ids
end

function init(args)
  mode = args[1] or "get"
  run_prefix = args[2] or "500"
  local thread_count = tonumber(args[3] or "1")
  non2xx = 0
  counter = 0
  ids = {}
  if mode == "edit" or mode == "delete" then
    ids = read_ids(args[4], thread_index, thread_count)
    if #ids == 0 then
      error("no user ids for thread " .. thread_index .. " in " .. args[4])
    end
  end
  if mode == "get" then
    -- Without a request() function wrk sends its prebuilt GET, which costs less.
    request = nil
  end
end

local json_headers = { ["Content-Type"] = "application/json" }

function request()
  counter = counter + 1
  local body
  if mode == "add" then
    -- 12 digits: run prefix (3), thread (1), counter (8). Seeded numbers have 11
    -- digits and the delete pool 13, so the three sets never overlap.
    local phone = string.format("%s%d%08d", run_prefix, thread_index, counter)
    body = string.format('{"name":"Bench add %s","phone":"%s"}', phone, phone)
  elseif mode == "edit" then
    -- Cycle through this thread's ids, giving each a new name every time.
    local user_id = ids[(counter - 1) % #ids + 1]
    body = string.format(
      '{"user_id":"%s","name":"Bench edit %s-%d-%d"}',
      user_id, run_prefix, thread_index, counter)
  elseif mode == "delete" then
    -- Each id is deleted once. Past the end of the list the ids repeat and the
    -- API returns 404, which shows up as non-2xx: the pool was too small.
    local user_id = ids[(counter - 1) % #ids + 1]
    body = string.format('{"user_id":"%s"}', user_id)
  end
  return wrk.format("POST", nil, json_headers, body)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + (thread:get("non2xx") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"connect_errors":%d,"read_errors":%d,"write_errors":%d,'
      .. '"timeouts":%d,"status_errors":%d,"non_2xx":%d,'
      .. '"latency_p50_us":%d,"latency_p99_us":%d,"latency_max_us":%d,'
      .. '"latency_mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    non2xx_total,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
