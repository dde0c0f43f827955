-- Each request reads the next application of the list, and each pass over the list asks for
-- another variant of the answer (the host its links name, the language of its labels), which
-- the API caches apart. An answer is cached on its second read and served from its third, so
-- with six variants an application is read cold up to twelve times: a short list on a quick
-- machine still never comes round to a cached answer. The ids come in a file named after "--".
local ids, count, sent = {}, 0, 0
local variants = {
  {"127.0.0.1", "en"}, {"localhost", "en"}, {"testserver", "en"},
  {"127.0.0.1", "zh-hans"}, {"localhost", "zh-hans"}, {"testserver", "zh-hans"},
}

function init(args)
  for line in io.lines(args[1]) do
    count = count + 1
    ids[count] = line
  end
end

function request()
  sent = sent + 1
  local id = ids[((sent - 1) % count) + 1]
  local variant = variants[(math.floor((sent - 1) / count) % #variants) + 1]
  -- Headers given here replace the -H ones (the API key), so those are copied in.
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Host"] = variant[1] .. (wrk.headers["Host"]:match(":%d+$") or "")
  headers["Accept-Language"] = variant[2]
  return wrk.format("GET", "/api/v1/applications/" .. id .. "/", headers, nil)
end
