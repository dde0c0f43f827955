-- Each request reads the next application of a list too long to come round again while its
-- cached answer lives: every read is a cold one. The ids come in a file named after "--".
local ids, count, sent = {}, 0, 0

function init(args)
  for line in io.lines(args[1]) do
    count = count + 1
    ids[count] = line
  end
end

function request()
  sent = sent + 1
  local id = ids[((sent - 1) % count) + 1]
  -- nil headers: the -H headers (the API key) go with every request.
  return wrk.format("GET", "/api/v1/applications/" .. id .. "/", nil, nil)
end
