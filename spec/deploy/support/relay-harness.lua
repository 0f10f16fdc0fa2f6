-- Runs a FreeSWITCH MESSAGE hook script under plain Lua against a fake of the freeswitch API.
-- usage: lua5.4 relay-harness.lua SCRIPT [--header name=value]... [--user id@domain=channels]... [--refire]
-- The event body is read from stdin. Output, one record per line, tab-separated:
--   api <command> <argument>      every API call the script made
--   chat <argument>               the chat API calls (what would be delivered)
--   log <level> <text>            freeswitch.consoleLog calls
-- With --refire, each chat call fires a MESSAGE event again as FreeSWITCH does
-- (proto "global"), and the script runs on it, so a relay loop would show up as more chats.

local script = arg[1]
local headers, users, refire = {}, {}, false
local i = 2
while i <= #arg do
  local flag, value = arg[i], arg[i + 1]
  if flag == '--refire' then
    refire = true
    i = i + 1
  else
    local k, v = (value or ''):match('^([^=]+)=(.*)$')
    if not k then error('bad argument: ' .. tostring(flag) .. ' ' .. tostring(value)) end
    if flag == '--header' then headers[k] = v
    elseif flag == '--user' then users[k] = v
    else error('unknown flag ' .. flag) end
    i = i + 2
  end
end

local function emit(...)
  io.write(table.concat({ ... }, '\t'):gsub('\n', '\\n'), '\n')
end

local function new_event(hdrs, body)
  return {
    getHeader = function(_, name) return hdrs[name] end,
    getBody = function(_) return body end,
  }
end

local queue = {}

local api = {
  execute = function(_, command, argument)
    emit('api', command, argument or '')
    if command == 'user_data' then
      -- like mod_commands: the value, or nothing when the user is unknown
      local address, kind, name = argument:match('^(%S+) (%S+) (%S+)$')
      if kind == 'param' and name == 'jsonrpc-allowed-event-channels' then return users[address] or '' end
      return ''
    elseif command == 'chat' then
      emit('chat', argument)
      if refire then
        local proto, from, to, body = argument:match('^([^|]*)|([^|]*)|([^|]*)|(.*)$')
        -- the headers switch_core_chat_send_args sets, so only the proto tells the events apart
        local from_user, from_host = from:match('^([^@]*)@(.*)$')
        queue[#queue + 1] = new_event({ proto = 'global', dest_proto = proto, from = from, from_user = from_user,
          from_host = from_host, to = to }, body)
      end
      return 'Sent'
    end
    return '-ERR ' .. command .. ' Command not found!'
  end,
}

freeswitch = {
  API = function() return api end,
  consoleLog = function(level, text) emit('log', level, (text:gsub('\n$', ''))) end,
}

local chunk = assert(loadfile(script))
queue[1] = new_event(headers, io.read('a'))
local runs = 0
while #queue > 0 and runs < 10 do
  event = table.remove(queue, 1)
  chunk()
  runs = runs + 1
end
