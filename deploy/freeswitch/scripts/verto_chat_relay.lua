-- verto_chat_relay.lua: delivers verto-peer's peer messages (verto.info with msg) to the
-- addressed client, but only within a channel.
--
-- mod_verto answers a client's verto.info msg with "SENT" and only fires a MESSAGE event;
-- stock FreeSWITCH delivers it to nobody, and would let anyone message anyone. This hook
-- (lua.conf.xml: <settings><hook event="MESSAGE" script="verto_chat_relay.lua"/></settings>)
-- relays it with the chat API when sender and target share an event channel.
--
-- Written for Lua 5.1 to 5.4 (FreeSWITCH packages link different ones); no per-event state.

local MAX_BODY = 65536 -- bytes of base64; a peer message (SDP, candidate) is a few KiB
local CHANNELS_PARAM = 'jsonrpc-allowed-event-channels'
-- User ids and domains we pass on: no separators of the chat API ('|') or of API
-- arguments (spaces), no quotes or backslashes (the chat API unescapes them). Explicit
-- ASCII classes, because %w follows the C locale.
local ID = '^[A-Za-z0-9][A-Za-z0-9%._%-]*$'

local function log(level, text)
  freeswitch.consoleLog(level, 'verto_chat_relay: ' .. text .. '\n')
end

local function valid_id(s)
  return s ~= nil and #s <= 256 and s:match(ID) ~= nil
end

-- "id@domain" with both parts valid
local function valid_address(s)
  if s == nil then return false end
  local user, domain = s:match('^([^@]+)@([^@]+)$')
  return valid_id(user) and valid_id(domain)
end

-- Plain standard base64 with padding, as the client's codec writes it.
local function valid_body(body)
  return #body % 4 == 0 and body:match('^[A-Za-z0-9+/]*=?=?$') ~= nil
end

-- The set of event channels a user may use, split as mod_verto splits the param (commas,
-- or spaces). "__ANY__" and anything that is not an id (an API error text) never match.
local function channels_of(api, address)
  local set = {}
  local value = api:execute('user_data', address .. ' param ' .. CHANNELS_PARAM) or ''
  for token in value:gmatch('[^,%s]+') do
    if token ~= '__ANY__' and token:match(ID) then set[token] = true end
  end
  return set
end

local function share_channel(api, a, b)
  local mine = channels_of(api, a)
  for channel in pairs(channels_of(api, b)) do
    if mine[channel] then return true end
  end
  return false
end

local function relay(ev, api)
  -- The chat API below re-fires MESSAGE with proto "global": ignoring it avoids a loop.
  if ev:getHeader('proto') ~= 'verto' then return end

  -- Set by mod_verto from the authenticated socket; the client cannot change them.
  local from = ev:getHeader('from')
  local from_user = ev:getHeader('from_user')
  local from_host = ev:getHeader('from_host')
  local to = ev:getHeader('to')
  local body = ev:getBody()

  if not (valid_address(from) and valid_id(from_host) and from == (from_user or '') .. '@' .. from_host) then
    log('warning', 'dropped: sender headers missing or inconsistent')
    return
  end
  if to == nil or to == '' then
    log('warning', 'dropped from ' .. from .. ': no target')
    return
  end
  if not to:find('@', 1, true) then to = to .. '@' .. from_host end
  if not valid_address(to) then
    log('warning', 'dropped from ' .. from .. ': target is not a user id')
    return
  end
  if body == nil or body == '' then
    log('warning', 'dropped from ' .. from .. ' to ' .. to .. ': empty body')
    return
  end
  if #body > MAX_BODY then
    log('warning', 'dropped from ' .. from .. ' to ' .. to .. ': body of ' .. #body .. ' bytes exceeds ' .. MAX_BODY)
    return
  end
  if body:find('|', 1, true) or not valid_body(body) then
    log('warning', 'dropped from ' .. from .. ' to ' .. to .. ': body is not plain base64')
    return
  end
  if not share_channel(api, from, to) then
    log('warning', 'refused from ' .. from .. ' to ' .. to .. ': no shared channel')
    return
  end

  -- The answer says nothing about delivery: mod_verto's chat interface reports success
  -- whether or not a socket of the target is open, so the chat API answers "Sent" either way.
  -- A client that left simply misses the message; the sender's retries and timeouts cover it.
  local reply = api:execute('chat', 'verto|' .. from .. '|' .. to .. '|' .. body) or ''
  log('debug', 'passed to the chat API from ' .. from .. ' to ' .. to .. ': ' .. reply)
end

relay(event, freeswitch.API())
