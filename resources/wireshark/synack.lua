-- Wireshark dissector for the SynAck protocol (docs/protocol.md).
--
-- Grammar of one frame (docs/protocol.md, "Framing" and "Payload"):
--   frame   = length payload
--   length  = 4 bytes, unsigned, big-endian, 1 .. 16 MiB
--   payload = one CBOR data item (RFC 8949): a map with text keys, "t" the
--             message type; definite or indefinite lengths
--
-- Frames are reassembled across TCP segments with dissect_tcp_pdus. The
-- dissector takes TCP port 9527 (a preference) and, on other ports, a
-- connection whose first segment looks like a frame (heuristic). A connection
-- that starts with a TLS record (first byte 0x16) is handed to the TLS
-- dissector. The CBOR reader is bounded in depth, items and bytes, and turns
-- any malformed input into expert info, never into a Lua error.
--
-- Load it with:  tshark -X lua_script:synack.lua ...   (or install it among
-- Wireshark's Lua plugins). Display filter: synack.

local synack = Proto("synack", "SynAck Protocol")

local DEFAULT_PORT = 9527
local HEADER_LEN = 4
-- A client accepts frames up to 16 MiB (docs/protocol.md, "Framing").
local MAX_FRAME = 16 * 1024 * 1024
local MAX_DEPTH = 16
-- Enough for a welcome that lists a full room (max_clients, 10000 nicks).
local MAX_ITEMS = 100000
local INFO_TEXT_LEN = 40

---------------------------------------------------------------------------
-- Fields

local f = {
    length = ProtoField.uint32("synack.length", "Length", base.DEC),
    type = ProtoField.string("synack.type", "Type (t)"),
    nick = ProtoField.string("synack.nick", "Nick"),
    text = ProtoField.string("synack.text", "Text"),
    seq = ProtoField.uint64("synack.seq", "Sequence number", base.DEC),
    id = ProtoField.uint64("synack.id", "Client message id", base.DEC),
    from = ProtoField.string("synack.from", "From"),
    to = ProtoField.string("synack.to", "To"),
    reason = ProtoField.string("synack.reason", "Reason"),
    code = ProtoField.string("synack.code", "Error code"),
    fatal = ProtoField.bool("synack.fatal", "Fatal"),
    users = ProtoField.string("synack.users", "User"),
    ts = ProtoField.absolute_time("synack.ts", "Timestamp", base.UTC),
    v = ProtoField.uint64("synack.v", "Protocol version", base.DEC),
    server = ProtoField.string("synack.server", "Server name"),
    session = ProtoField.uint64("synack.session", "Session", base.DEC),
    hb = ProtoField.uint64("synack.hb", "Heartbeat interval (ms)", base.DEC),
    timeout = ProtoField.uint64("synack.timeout", "Timeout (ms)", base.DEC),
    max_frame = ProtoField.uint64("synack.max_frame", "Largest frame", base.DEC),
    max_text = ProtoField.uint64("synack.max_text", "Largest text", base.DEC),
    motd = ProtoField.string("synack.motd", "Message of the day"),
    app = ProtoField.string("synack.app", "Application"),
    pass = ProtoField.string("synack.pass", "Password"),
    backlog = ProtoField.bool("synack.backlog", "Replayed from the backlog"),
    -- Keys this dissector does not know, and known keys of another type.
    key = ProtoField.string("synack.key", "Key"),
    value = ProtoField.string("synack.value", "Value"),
}
synack.fields = {
    f.length, f.type, f.nick, f.text, f.seq, f.id, f.from, f.to, f.reason, f.code,
    f.fatal, f.users, f.ts, f.v, f.server, f.session, f.hb, f.timeout, f.max_frame,
    f.max_text, f.motd, f.app, f.pass, f.backlog, f.key, f.value,
}

local e = {
    frame_size = ProtoExpert.new("synack.frame_size", "Frame length out of range",
        expert.group.MALFORMED, expert.severity.ERROR),
    bad_payload = ProtoExpert.new("synack.bad_payload", "Malformed CBOR payload",
        expert.group.MALFORMED, expert.severity.ERROR),
    bad_message = ProtoExpert.new("synack.bad_message", "Message breaks the protocol",
        expert.group.PROTOCOL, expert.severity.WARN),
}
synack.experts = { e.frame_size, e.bad_payload, e.bad_message }

synack.prefs.port = Pref.uint("TCP port", DEFAULT_PORT, "TCP port decoded as SynAck")
synack.prefs.heuristic = Pref.bool("Find SynAck on other ports", true,
    "Decode a connection on any port whose first segment looks like a SynAck frame")

-- How each known key is shown: its field and the CBOR kind it must have.
local KNOWN = {
    t = { f.type, "text" }, nick = { f.nick, "text" }, text = { f.text, "text" },
    from = { f.from, "text" }, to = { f.to, "text" }, reason = { f.reason, "text" },
    code = { f.code, "text" }, server = { f.server, "text" }, motd = { f.motd, "text" },
    app = { f.app, "text" }, pass = { f.pass, "text" },
    seq = { f.seq, "uint" }, id = { f.id, "uint" }, v = { f.v, "uint" },
    session = { f.session, "uint" }, hb = { f.hb, "uint" }, timeout = { f.timeout, "uint" },
    max_frame = { f.max_frame, "uint" }, max_text = { f.max_text, "uint" },
    fatal = { f.fatal, "bool" }, backlog = { f.backlog, "bool" },
    ts = { f.ts, "int" }, users = { f.users, "text-array" },
}

---------------------------------------------------------------------------
-- CBOR reader. decode() raises { cbor_error = text, offset = n } on bad
-- input; read_payload() catches it (and anything else) with pcall.

local Reader = {}
Reader.__index = Reader

local function new_reader(tvb, offset, limit)
    return setmetatable({ tvb = tvb, offset = offset, limit = limit, items = 0, bad_utf8 = nil },
        Reader)
end

function Reader:fail(message, offset)
    error({ cbor_error = message, offset = offset or self.offset }, 0)
end

-- Takes n bytes at the current offset, or fails if they are not there.
function Reader:take(n)
    if n > self.limit - self.offset then
        self:fail("truncated: " .. n .. " bytes needed, " .. (self.limit - self.offset) .. " left")
    end
    local start = self.offset
    self.offset = start + n
    return start
end

function Reader:uint(n)
    return self.tvb(self:take(n), n):uint()
end

-- The argument of an initial byte (RFC 8949 3.1): a Lua number, or a UInt64
-- when it does not fit in 53 bits; "indefinite" for additional info 31.
function Reader:argument(info)
    if info < 24 then return info end
    if info == 24 then return self:uint(1) end
    if info == 25 then return self:uint(2) end
    if info == 26 then return self:uint(4) end
    if info == 27 then
        local start = self:take(8)
        local big = self.tvb(start, 8):uint64()
        if big:higher() < 0x200000 then
            return big:higher() * 4294967296 + big:lower()
        end
        return big
    end
    if info == 31 then return "indefinite" end
    self:fail("reserved additional information " .. info, self.offset - 1)
end

-- A length that must fit in what is left of the payload (each element needs
-- at least per bytes), so no count makes the reader loop or allocate.
function Reader:bounded_count(n, per, what)
    if type(n) ~= "number" or n * per > self.limit - self.offset then
        self:fail(what .. " of " .. tostring(n) .. " does not fit in the frame")
    end
    return n
end

local function half_float(bits)
    local sign = bits >= 0x8000 and -1 or 1
    local exponent = math.floor(bits / 0x400) % 0x20
    local mantissa = bits % 0x400
    if exponent == 0 then return sign * mantissa * 2 ^ -24 end
    if exponent == 31 then return mantissa == 0 and sign * math.huge or 0 / 0 end
    return sign * (1 + mantissa / 0x400) * 2 ^ (exponent - 15)
end

-- The strings of an indefinite-length text or byte string (RFC 8949 3.2.3).
function Reader:chunks(major, item)
    local parts = {}
    while true do
        local at = self.offset
        local initial = self:uint(1)
        if initial == 0xff then break end
        if math.floor(initial / 32) ~= major or initial % 32 == 31 then
            self:fail("indefinite string holds a chunk of another kind", at)
        end
        local n = self:bounded_count(self:argument(initial % 32), 1, "chunk length")
        parts[#parts + 1] = self:bytes_at(self:take(n), n, major)
    end
    item.value = table.concat(parts)
end

-- RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
local function valid_utf8(s)
    local i, n = 1, #s
    while i <= n do
        local c = s:byte(i)
        local len = c < 0x80 and 1 or (c >= 0xc2 and c <= 0xdf) and 2
            or (c >= 0xe0 and c <= 0xef) and 3 or (c >= 0xf0 and c <= 0xf4) and 4 or nil
        if not len or i + len - 1 > n then return false end
        for j = i + 1, i + len - 1 do
            local d = s:byte(j)
            if d < 0x80 or d > 0xbf then return false end
        end
        local d = s:byte(i + 1)
        if (c == 0xe0 and d < 0xa0) or (c == 0xed and d > 0x9f)
            or (c == 0xf0 and d < 0x90) or (c == 0xf4 and d > 0x8f) then
            return false
        end
        i = i + len
    end
    return true
end

function Reader:bytes_at(start, n, major)
    if n == 0 then return "" end
    if major == 3 then
        -- Invalid UTF-8 is bad-payload (docs/protocol.md, "Payload"); the
        -- text is still shown, with replacement characters.
        if not self.bad_utf8 and not valid_utf8(self.tvb:raw(start, n)) then self.bad_utf8 = start end
        return self.tvb(start, n):string(ENC_UTF_8)
    end
    return self.tvb(start, n):bytes():tohex()
end

function Reader:decode(depth)
    if depth > MAX_DEPTH then self:fail("nested deeper than " .. MAX_DEPTH) end
    self.items = self.items + 1
    if self.items > MAX_ITEMS then self:fail("more than " .. MAX_ITEMS .. " items") end
    local item = { offset = self.offset }
    local initial = self:uint(1)
    local major, info = math.floor(initial / 32), initial % 32
    if major == 7 then
        self:simple(item, info)
    else
        local arg = self:argument(info)
        if arg == "indefinite" then
            if major < 2 or major == 6 then
                self:fail("indefinite length on major type " .. major, item.offset)
            end
            item.indefinite = true
        end
        if major == 0 then
            item.kind, item.value = "uint", arg
        elseif major == 1 then
            item.kind = "int"
            if type(arg) == "number" then
                item.value = -1 - arg
            elseif arg:higher() < 0x80000000 then
                -- -1 - n is the bitwise complement of n in 64 bits.
                item.value = Int64(0xffffffff - arg:lower(), 0xffffffff - arg:higher())
            else
                item.value = "-1-" .. tostring(arg)
            end
        elseif major == 2 or major == 3 then
            item.kind = major == 3 and "text" or "bytes"
            if item.indefinite then
                self:chunks(major, item)
            else
                local n = self:bounded_count(arg, 1, "string length")
                item.value = self:bytes_at(self:take(n), n, major)
            end
        elseif major == 4 then
            item.kind, item.elements = "array", {}
            self:elements(item, arg, depth, 1)
        elseif major == 5 then
            item.kind, item.entries = "map", {}
            self:elements(item, arg, depth, 2)
        else
            item.kind, item.tag = "tag", arg
            item.child = self:decode(depth + 1)
        end
    end
    item.length = self.offset - item.offset
    return item
end

function Reader:elements(item, arg, depth, per)
    local function one()
        if per == 1 then
            item.elements[#item.elements + 1] = self:decode(depth + 1)
        else
            local key = self:decode(depth + 1)
            item.entries[#item.entries + 1] = { key = key, value = self:decode(depth + 1) }
        end
    end
    if item.indefinite then
        while true do
            local at = self:take(1)
            if self.tvb(at, 1):uint() == 0xff then break end
            self.offset = at
            one()
        end
    else
        for _ = 1, self:bounded_count(arg, per, item.kind .. " count") do one() end
    end
end

function Reader:simple(item, info)
    if info == 20 or info == 21 then
        item.kind, item.value = "bool", info == 21
    elseif info == 22 then
        item.kind, item.value = "null", "null"
    elseif info == 23 then
        item.kind, item.value = "undefined", "undefined"
    elseif info < 20 then
        item.kind, item.value = "simple", "simple(" .. info .. ")"
    elseif info == 24 then
        item.kind, item.value = "simple", "simple(" .. self:uint(1) .. ")"
    elseif info == 25 then
        item.kind, item.value = "float", half_float(self:uint(2))
    elseif info == 26 or info == 27 then
        local n = info == 26 and 4 or 8
        item.kind, item.value = "float", self.tvb(self:take(n), n):float()
    elseif info == 31 then
        self:fail("break outside an indefinite-length item", item.offset)
    else
        self:fail("reserved simple value " .. info, item.offset)
    end
end

-- A short text of any item, for the generic tree and the Info column.
local function render(item, depth)
    depth = depth or 0
    if depth > 3 then return "..." end
    if item.kind == "text" then return '"' .. item.value .. '"' end
    if item.kind == "bytes" then return "h'" .. item.value .. "'" end
    if item.kind == "array" then
        local parts = {}
        for i, element in ipairs(item.elements) do
            if i > 8 then parts[#parts + 1] = "..."; break end
            parts[#parts + 1] = render(element, depth + 1)
        end
        return "[" .. table.concat(parts, ", ") .. "]"
    end
    if item.kind == "map" then
        local parts = {}
        for i, entry in ipairs(item.entries) do
            if i > 8 then parts[#parts + 1] = "..."; break end
            parts[#parts + 1] = render(entry.key, depth + 1) .. ": " .. render(entry.value, depth + 1)
        end
        return "{" .. table.concat(parts, ", ") .. "}"
    end
    if item.kind == "tag" then return item.tag .. "(" .. render(item.child, depth + 1) .. ")" end
    return tostring(item.value)
end

---------------------------------------------------------------------------
-- The protocol tree

local function add_generic(tree, tvb, name, key_item, item)
    local range = tvb(key_item.offset, item.offset + item.length - key_item.offset)
    local node = tree:add(f.key, range, name)
    node:set_text(name .. ": " .. render(item))
    node:add(f.value, tvb(item.offset, item.length), render(item))
    if item.kind == "map" then
        for _, entry in ipairs(item.entries) do
            local child = entry.key.kind == "text" and entry.key.value or render(entry.key)
            add_generic(node, tvb, child, entry.key, entry.value)
        end
    elseif item.kind == "array" then
        for i, element in ipairs(item.elements) do
            add_generic(node, tvb, "[" .. (i - 1) .. "]", element, element)
        end
    end
    return node
end

local KIND_NAMES = {
    uint = "an unsigned integer", int = "an integer", text = "text", bytes = "bytes",
    array = "an array", map = "a map", tag = "a tagged item", bool = "a boolean",
    null = "null", undefined = "undefined", simple = "a simple value", float = "a float",
    ["text-array"] = "an array of text",
}

local function is_kind(item, kind)
    if kind == "uint" then return item.kind == "uint" end
    if kind == "int" then return item.kind == "uint" or item.kind == "int" end
    if kind == "text-array" then
        if item.kind ~= "array" then return false end
        for _, element in ipairs(item.elements) do
            if element.kind ~= "text" then return false end
        end
        return true
    end
    return item.kind == kind
end

local function as_number(value)
    if type(value) == "number" then return value end
    return tonumber(tostring(value)) or 0
end

-- ts is milliseconds since the Unix epoch (docs/protocol.md, "Payload").
local function to_nstime(ms)
    ms = as_number(ms)
    local seconds = math.floor(ms / 1000)
    return NSTime(seconds, math.floor((ms - seconds * 1000) * 1000000))
end

local function add_known(tree, tvb, spec, item)
    local field, kind = spec[1], spec[2]
    local range = tvb(item.offset, item.length)
    if kind == "text-array" then
        for _, element in ipairs(item.elements) do
            tree:add(field, tvb(element.offset, element.length), element.value)
        end
    elseif kind == "int" then
        tree:add(field, range, to_nstime(item.value))
    elseif kind == "uint" and type(item.value) == "number" then
        tree:add(field, range, UInt64(item.value % 4294967296, math.floor(item.value / 4294967296)))
    else
        tree:add(field, range, item.value)
    end
end

local function truncate(text, n)
    if #text <= n then return text end
    local cut = n
    -- Do not cut a UTF-8 sequence: back off over continuation bytes.
    while cut > 0 and text:byte(cut + 1) and text:byte(cut + 1) >= 0x80 and text:byte(cut + 1) < 0xc0 do
        cut = cut - 1
    end
    return text:sub(1, cut) .. "…"
end

-- "hello alice", "msg #3 alice: hi", ... from the decoded keys.
local function summary(v)
    local t = v.t or "?"
    local function text() return truncate(v.text or "", INFO_TEXT_LEN) end
    if t == "hello" or t == "join" or t == "nick" then return t .. " " .. (v.nick or "") end
    if t == "welcome" then
        local n = v.users or 0
        return "welcome " .. (v.nick or "") .. " (" .. n .. (n == 1 and " user)" or " users)")
    end
    if t == "msg" then
        return "msg" .. (v.seq and (" #" .. tostring(v.seq)) or "") .. " " .. (v.from or "")
            .. (v.to and (" -> " .. v.to) or "") .. ": " .. text()
    end
    if t == "say" then return "say" .. (v.to and (" to " .. v.to) or "") .. ": " .. text() end
    if t == "leave" then return "leave " .. (v.nick or "") .. " (" .. (v.reason or "") .. ")" end
    if t == "rename" then return "rename " .. (v.from or "") .. " -> " .. (v.to or "") end
    if t == "users" then return "users (" .. (v.users or 0) .. ")" end
    if t == "error" then
        return "error" .. (v.code and (" " .. v.code) or "") .. (v.fatal and " (fatal)" or "")
    end
    if t == "ping" or t == "pong" then return t .. (v.seq and (" #" .. tostring(v.seq)) or "") end
    if t == "bye" then return "bye " .. (v.reason or "") end
    return t
end

-- The payload's map: known keys as fields, others in the generic tree.
-- Returns the values the Info column is made of.
local function add_message(tree, tvb, map)
    local seen, shown = {}, {}
    for _, entry in ipairs(map.entries) do
        local key, value = entry.key, entry.value
        if key.kind ~= "text" then
            -- Ignored by receivers (docs/protocol.md, "Payload").
            add_generic(tree, tvb, render(key), key, value)
        else
            local name = key.value
            if seen[name] then
                tree:add_proto_expert_info(e.bad_payload, "duplicate key \"" .. name .. "\"")
            end
            seen[name] = true
            local spec = KNOWN[name]
            if spec and is_kind(value, spec[2]) then
                add_known(tree, tvb, spec, value)
                shown[name] = spec[2] == "text-array" and #value.elements or value.value
            else
                local node = add_generic(tree, tvb, name, key, value)
                if spec then
                    node:add_proto_expert_info(e.bad_message,
                        "\"" .. name .. "\" is " .. KIND_NAMES[value.kind] .. ", not " .. KIND_NAMES[spec[2]])
                end
            end
        end
    end
    if not seen.t then tree:add_proto_expert_info(e.bad_message, "no \"t\" key") end
    return shown
end

-- The item and the offset of its first invalid UTF-8 text (nil when all is
-- valid); or nil and the failure, { cbor_error = text, offset = n }.
local function read_payload(tvb, offset, limit)
    local reader = new_reader(tvb, offset, limit)
    local ok, result = pcall(function() return reader:decode(0) end)
    if ok then return result, reader.bad_utf8 end
    if type(result) == "table" and result.cbor_error then return nil, result end
    return nil, { cbor_error = "decoder failure: " .. tostring(result), offset = reader.offset }
end

-- One frame: tvb holds exactly the frame, as dissect_tcp_pdus cut it.
local function dissect_frame(tvb, pinfo, tree, packet)
    local captured = tvb:len()
    local length = tvb(0, HEADER_LEN):uint()
    local root = tree:add(synack, tvb(0, captured))
    root:add(f.length, tvb(0, HEADER_LEN))
    local info
    if length == 0 or length > MAX_FRAME then
        root:add_proto_expert_info(e.frame_size, "frame length " .. length .. " is outside 1 .. " .. MAX_FRAME)
        info = "frame-size " .. length
    else
        local limit = math.min(captured, HEADER_LEN + length)
        local item, detail = read_payload(tvb, HEADER_LEN, limit)
        if item and detail then
            root:add_proto_expert_info(e.bad_payload,
                "invalid UTF-8 in a text string (at payload byte " .. (detail - HEADER_LEN) .. ")")
        end
        if not item then
            local at = math.min(detail.offset, captured - 1)
            root:add_proto_expert_info(e.bad_payload,
                detail.cbor_error .. " (at payload byte " .. (at - HEADER_LEN) .. ")")
            info = "bad-payload"
        elseif item.kind ~= "map" then
            root:add_proto_expert_info(e.bad_payload, "the payload is " .. KIND_NAMES[item.kind] .. ", not a map")
            add_generic(root, tvb, "payload", item, item)
            info = "bad-payload"
        else
            if item.offset + item.length < HEADER_LEN + length then
                root:add_proto_expert_info(e.bad_payload,
                    (HEADER_LEN + length - item.offset - item.length) .. " bytes after the CBOR item")
            end
            info = summary(add_message(root, tvb, item))
        end
    end
    root:append_text(", " .. info)
    packet.frames = packet.frames + 1
    if packet.frames == 1 then
        pinfo.cols.info:set(info)
    else
        pinfo.cols.info:append(", " .. info)
    end
    return captured
end

local function frame_length(tvb, _, offset)
    local length = tvb(offset, HEADER_LEN):uint()
    if length == 0 or length > MAX_FRAME then
        -- Nothing after a bad length can be trusted: the rest of the
        -- segment is reported as one malformed frame.
        return tvb:len() - offset
    end
    return HEADER_LEN + length
end

---------------------------------------------------------------------------
-- TLS on the same port (docs/protocol.md, section 12)

local tls = Dissector.get("tls")
local tcp_stream = Field.new("tcp.stream")
local tls_streams = {}

function synack.init()
    tls_streams = {}
end

-- True when this TCP connection is TLS: its first payload byte was 0x16
-- (a handshake record). TLS records start with 20 .. 23; a SynAck frame that
-- TLS hands back decrypted starts with 0 or 1, so it is never sent back.
local function is_tls(tvb)
    local stream = tcp_stream()
    if not stream or tvb:len() < 1 then return false end
    local key = tostring(stream.value)
    local first = tvb(0, 1):uint()
    if tls_streams[key] == nil then tls_streams[key] = (first == 0x16) end
    return tls_streams[key] and first >= 0x14 and first <= 0x17
end

function synack.dissector(tvb, pinfo, tree)
    if is_tls(tvb) then
        -- Calling TLS from here costs it one level of desegmentation; give
        -- it back, so TLS records that span segments are reassembled.
        pinfo.can_desegment = 2
        -- A malformed record is TLS's to report (it already has); call()
        -- would turn it into a Lua error in this dissector.
        local ok, consumed = pcall(tls.call, tls, tvb, pinfo, tree)
        return ok and consumed or tvb:len()
    end
    pinfo.cols.protocol = "SynAck"
    local packet = { frames = 0 }
    dissect_tcp_pdus(tvb, tree, HEADER_LEN, frame_length, function(frame, p, t)
        return dissect_frame(frame, p, t, packet)
    end)
    return tvb:len()
end

---------------------------------------------------------------------------
-- Registration: the port, and a heuristic for other ports

-- The port over TCP, and inside TLS on that port (the frames TLS decrypts
-- when Wireshark has the session's keys).
local port_tables = { DissectorTable.get("tcp.port"), DissectorTable.get("tls.port") }
local registered_port = 0

local function register_port(port)
    for _, table in ipairs(port_tables) do
        if registered_port ~= 0 then table:remove(registered_port, synack) end
        if port ~= 0 then table:add(port, synack) end
    end
    registered_port = port
end
register_port(synack.prefs.port)

function synack.prefs_changed()
    if registered_port ~= synack.prefs.port then register_port(synack.prefs.port) end
end

-- A plausible frame: a length of 1 .. 16 MiB, then a map whose first key is
-- the text "t". Once matched, the whole connection is SynAck.
local function heuristic(tvb, pinfo, tree)
    if not synack.prefs.heuristic or tvb:len() < HEADER_LEN + 3 then return false end
    local length = tvb(0, HEADER_LEN):uint()
    if length < 3 or length > MAX_FRAME then return false end
    local map = tvb(HEADER_LEN, 1):uint()
    if map < 0xa1 or map > 0xbf or tvb(HEADER_LEN + 1, 2):uint() ~= 0x6174 then return false end
    pinfo.conversation = synack
    synack.dissector(tvb, pinfo, tree)
    return true
end
synack:register_heuristic("tcp", heuristic)
