<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>synack-server</name>
    <message>
        <location filename="../../app-server/headless/serveroptions.cpp" line="+108"/>
        <source>SynAck chat server: a LAN chat that shows its TCP connections.</source>
        <translation>SynAck 聊天服务器：一个能展示自身 TCP 连接的局域网聊天程序。</translation>
    </message>
</context>
<context>
    <name>synack::client::ChatClient</name>
    <message>
        <location filename="../../app-client/core/chatclient.cpp" line="+80"/>
        <source>the connection was replaced</source>
        <translation>连接已被替换</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>the server sent a malformed %1 message (%2: %3)</source>
        <translation>服务器发来了格式错误的 %1 消息（%2：%3）</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1 accepted the connection but sent no welcome within %2 s</source>
        <translation>%1 接受了连接，但在 %2 秒内没有发来 welcome</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 does not read what we send (%2 bytes waiting, the limit is %3): connection dropped</source>
        <translation>%1 不读取我们发送的数据（%2 字节待读，上限为 %3）：已断开连接</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>disconnected</source>
        <translation>已断开连接</translation>
    </message>
    <message>
        <location line="+83"/>
        <location line="+19"/>
        <location line="+11"/>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>&quot;%1&quot; is not a valid nick (1 to 32 letters, digits, &apos;_&apos;, &apos;-&apos; or &apos;.&apos;)</source>
        <translation>“%1”不是有效的昵称（须为 1 到 32 个字母、数字、&apos;_&apos;、&apos;-&apos; 或 &apos;.&apos;）</translation>
    </message>
</context>
<context>
    <name>synack::client::ChatDelegate</name>
    <message>
        <location filename="../../app-client/window/chatdelegate.cpp" line="+116"/>
        <source>private to %1:</source>
        <translation>私信给 %1：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>private:</source>
        <translation>私信：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>synack::client::ChatModel</name>
    <message>
        <location filename="../../app-client/core/chatmodel.cpp" line="+26"/>
        <source>%1 joined</source>
        <translation>%1 加入了</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 left (%2)</source>
        <translation>%1 离开了（%2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You are now %1</source>
        <translation>你现在的昵称是 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is now %2</source>
        <translation>%1 改名为 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n in the room: %1</source>
        <translation>
            <numerusform>房间里有 %n 人：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Room message %1 never arrived</source>
        <translation>房间消息 %1 始终没有到达</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Room messages %1 to %2 never arrived</source>
        <translation>房间消息 %1 到 %2 始终没有到达</translation>
    </message>
    <message>
        <location line="+193"/>
        <source>sending</source>
        <translation>待送达</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not delivered</source>
        <translation>未送达</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 -- %2</source>
        <translation>%1 -- %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 &lt;%2&gt; %3</source>
        <translation>%1 &lt;%2&gt; %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 you -&gt; *%2*: %3</source>
        <translation>%1 你 -&gt; *%2*：%3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 *%2* -&gt; you: %3</source>
        <translation>%1 *%2* -&gt; 你：%3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (sent before you joined)</source>
        <translation>%1（在你加入之前发送）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 (%3)</source>
        <translation>%1：%2（%3）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>quit</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kicked</source>
        <translation>被踢出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>protocol error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>connection closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>server shut down</source>
        <translation>服务器已关闭</translation>
    </message>
</context>
<context>
    <name>synack::client::ChatView</name>
    <message>
        <location filename="../../app-client/window/chatview.cpp" line="+28"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
</context>
<context>
    <name>synack::client::ClientStatusBar</name>
    <message>
        <location filename="../../app-client/window/clientstatusbar.cpp" line="+28"/>
        <source>Try now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip the rest of the wait and reconnect now.</source>
        <translation>跳过剩余的等待时间，立即重新连接。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connecting to %1...</source>
        <translation>正在连接 %1...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Joining as %1...</source>
        <translation>正在以 %1 的身份加入...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Online as %1</source>
        <translation>在线，昵称 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Connection lost: reconnecting in %n s</source>
        <translation>
            <numerusform>连接已断开：%n 秒后重新连接</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server &quot;%1&quot; at %2</source>
        <translation>服务器“%1”，地址 %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Round trip: measuring...</source>
        <translation>往返时间：测量中...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measured by the heartbeat&apos;s ping and pong.</source>
        <translation>由心跳的 ping 和 pong 测得。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Round trip %1 ms</source>
        <translation>往返时间 %1 毫秒</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Heartbeat round trip over the last %n ping(s): average %1 ms, jitter %2 ms, min %3 ms, max %4 ms</source>
        <translation>
            <numerusform>最近 %n 次 ping 的心跳往返时间：平均 %1 毫秒，抖动 %2 毫秒，最小 %3 毫秒，最大 %4 毫秒</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>synack::client::ClientWindow</name>
    <message>
        <location filename="../../app-client/window/clientwindow.cpp" line="+78"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Socket log</source>
        <translation>套接字日志</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message numerus="yes">
        <location line="+54"/>
        <source>Reconnecting in %n s...</source>
        <translation>
            <numerusform>%n 秒后重新连接...</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Chat</source>
        <translation>聊天(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Connection panel</source>
        <translation>连接面板(&amp;C)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Socket log</source>
        <translation>套接字日志(&amp;S)</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>#%1 %2 to %3</source>
        <translation>#%1 %2 至 %3</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Disconnected.</source>
        <translation>已断开连接。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connecting to %1...</source>
        <translation>正在连接 %1...</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Reconnected as %1.</source>
        <translation>已重新连接，昵称 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected to %1 (server &quot;%2&quot;) as %3.</source>
        <translation>已连接到 %1（服务器“%2”），昵称 %3。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message of the day: %1</source>
        <translation>今日消息：%1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Someone in the room already has this nick: choose another.</source>
        <translation>房间里已有人使用这个昵称：请另选一个。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server does not accept this nick.</source>
        <translation>服务器不接受这个昵称。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This server needs a password.</source>
        <translation>此服务器需要密码。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong password.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No host by this name: check the spelling, or use an IP address.</source>
        <translation>找不到这个名称的主机：请检查拼写，或改用 IP 地址。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refused: nothing listens on port %1 there. Is the server running?</source>
        <translation>连接被拒绝：对方的端口 %1 上没有程序在监听。服务器在运行吗？</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No answer: check the address, or a firewall in the way.</source>
        <translation>没有应答：请检查地址，或是否有防火墙阻挡。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot reach this address from here.</source>
        <translation>从这里无法到达该地址。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server is full: try again later.</source>
        <translation>服务器已满：请稍后再试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This server speaks another version of the protocol.</source>
        <translation>此服务器使用的是另一个版本的协议。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 at %2 - SynAck</source>
        <translation>%1 @ %2 - SynAck</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SynAck chat</source>
        <translation>SynAck 聊天</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
</context>
<context>
    <name>synack::client::ComposeBox</name>
    <message>
        <location filename="../../app-client/window/composebox.cpp" line="+24"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message the room (Enter sends, Shift+Enter: new line)</source>
        <translation>向房间发送消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter sends, Shift+Enter starts a new line, Up recalls what you sent. Commands: /msg NICK text (private), /nick NEW, /who, /quit.</source>
        <translation>Enter 发送，Shift+Enter 换行，Up 键调出已发送的内容。命令：/msg 昵称 文本（私信），/nick 新昵称，/who，/quit。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send the message (Enter).</source>
        <translation>发送消息（Enter）。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 / %2 bytes</source>
        <translation>%1 / %2 字节</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Too long for this server: shorten it by %n byte(s).</source>
        <translation>
            <numerusform>超出此服务器的长度限制：请缩短 %n 字节。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server takes at most %1 bytes of UTF-8 per message.</source>
        <translation>此服务器每条消息最多接受 %1 字节的 UTF-8 文本。</translation>
    </message>
</context>
<context>
    <name>synack::client::ConnectPanel</name>
    <message>
        <location filename="../../app-client/window/connectpanel.cpp" line="+78"/>
        <location line="+250"/>
        <source>Scan LAN</source>
        <translation>扫描局域网</translation>
    </message>
    <message>
        <location line="-246"/>
        <source>Reconnect automatically</source>
        <translation>自动重新连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+156"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="-148"/>
        <source>address or name</source>
        <translation>地址或主机名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s address or host name; the list has the servers used recently and those found by Scan LAN.</source>
        <translation>服务器的地址或主机名；列表中有最近使用过的服务器，以及“扫描局域网”找到的服务器。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ask the local network which SynAck servers are running (UDP port %1).</source>
        <translation>询问局域网中有哪些 SynAck 服务器正在运行（UDP 端口 %1）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s TCP port (SynAck&apos;s default is %1).</source>
        <translation>服务器的 TCP 端口（SynAck 默认为 %1）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>your name here</source>
        <translation>在此填写你的昵称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 to 32 letters or digits of any script, or &apos;_&apos;, &apos;-&apos;, &apos;.&apos;.</source>
        <translation>1 到 32 个任意文字的字母或数字，或 &apos;_&apos;、&apos;-&apos;、&apos;.&apos;。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>if the server has one</source>
        <translation>服务器设有密码时填写</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When the connection drops, try again after 1 s, then 2 s, 4 s, ... up to 30 s, keeping your nick.</source>
        <translation>连接断开时，先等 1 秒后重试，然后 2 秒、4 秒……最长 30 秒，并保留你的昵称。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Nick:</source>
        <translation>昵称(&amp;N)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Connect to the server and join its room.</source>
        <translation>连接到服务器并加入它的房间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop trying to connect.</source>
        <translation>停止尝试连接。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave the room: say goodbye, then close the connection (FIN).</source>
        <translation>离开房间：先道别（bye），再关闭连接（FIN）。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Type the server&apos;s address, or press Scan LAN to look for one nearby.</source>
        <translation>请输入服务器地址，或点击“扫描局域网”查找附近的服务器。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a nick.</source>
        <translation>请选择一个昵称。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A nick is 1 to 32 letters or digits (any script), or &apos;_&apos;, &apos;-&apos;, &apos;.&apos;; no spaces.</source>
        <translation>昵称由 1 到 32 个字母或数字（任意文字）或 &apos;_&apos;、&apos;-&apos;、&apos;.&apos; 组成；不能有空格。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Scanning...</source>
        <translation>正在扫描...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asking the local network...</source>
        <translation>正在询问局域网...</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No SynAck server answered on the local network.</source>
        <translation>局域网中没有 SynAck 服务器应答。</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Found %n server(s): pick one from the list.</source>
        <translation>
            <numerusform>找到 %n 个服务器：请从列表中选择一个。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>synack::client::ConnectionPanel</name>
    <message>
        <location filename="../../app-client/window/connectionpanel.cpp" line="+61"/>
        <source>Disconnect (FIN)</source>
        <translation>断开连接 (FIN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abort (RST)</source>
        <translation>中止 (RST)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Half-close</source>
        <translation>半关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze heartbeats</source>
        <translation>冻结心跳</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep sending after the server&apos;s half-close</source>
        <translation>服务器半关闭后继续发送</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This client&apos;s connections: the current one, and the last ones while the kernel still remembers them.</source>
        <translation>此客户端的连接：当前连接，以及内核仍记得的最近几个连接。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The kernel&apos;s TCP states cannot be read here: %1</source>
        <translation>此处无法读取内核的 TCP 状态：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no kernel probe</source>
        <translation>没有内核探测</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Say goodbye and close: this side sends FIN first, so it is the one that waits in TIME_WAIT (about a minute on Linux).</source>
        <translation>道别并关闭：本端先发送 FIN，因此由本端在 TIME_WAIT 中等待（在 Linux 上约一分钟）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset the connection at once (SO_LINGER 0): the server sees RST, this side skips TIME_WAIT, and auto-reconnect may follow.</source>
        <translation>立即重置连接（SO_LINGER 0）：服务器收到 RST，本端跳过 TIME_WAIT，随后可能自动重新连接。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shut down only the sending side (FIN): this side goes on reading, and the server decides whether to close too.</source>
        <translation>只关闭发送方向（FIN）：本端继续读取，由服务器决定是否也关闭。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop sending and answering heartbeats, so the server declares this client dead after its timeout.</source>
        <translation>停止发送和应答心跳，服务器会在超时后判定此客户端已失联。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From the next Connect: a FIN from the server without a goodbye is taken as a half-close, so this side stays in CLOSE_WAIT and may still send. Off: that FIN ends the connection at once, as a server that went away.</source>
        <translation>从下一次连接起生效：服务器未道别就发来的 FIN 被视为半关闭，因此本端停留在 CLOSE_WAIT 并仍可发送数据。关闭此项：该 FIN 会立即结束连接，如同服务器已离开。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Connection:</source>
        <translation>连接(&amp;C)：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>End it on purpose (TCP lab)</source>
        <translation>主动结束连接（TCP 实验）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>You disconnected: goodbye sent, then FIN. Watch this side go through FIN_WAIT to TIME_WAIT.</source>
        <translation>你断开了连接：已道别，随后发送 FIN。请观察本端经过 FIN_WAIT 进入 TIME_WAIT。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>#%1 to %2</source>
        <translation>#%1 至 %2</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>%1: open</source>
        <translation>%1：已打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: closed</source>
        <translation>%1：已关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: closed, kernel in %2 (%3 s left)</source>
        <translation>%1：已关闭，内核处于 %2（剩余 %3 秒）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: closed, kernel in %2</source>
        <translation>%1：已关闭，内核处于 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>none yet: connect to see one</source>
        <translation>暂无：连接后即可看到</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>You reset the connection (RST): no TIME_WAIT on this side. Auto-reconnect takes it as a dropped connection and tries again.</source>
        <translation>你重置了连接（RST）：本端没有 TIME_WAIT。自动重新连接会把它当作连接中断，并再次尝试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You reset the connection (RST): no TIME_WAIT on this side.</source>
        <translation>你重置了连接（RST）：本端没有 TIME_WAIT。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>You half-closed the connection: FIN sent, this side still reads. The server decides whether to close its side too.</source>
        <translation>你半关闭了连接：已发送 FIN，本端仍在读取。由服务器决定是否也关闭它那一端。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Heartbeats frozen: the server will declare you dead after its timeout unless you thaw them.</source>
        <translation>心跳已冻结：除非你解冻，否则服务器会在超时后判定你已失联。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heartbeats thawed.</source>
        <translation>心跳已解冻。</translation>
    </message>
</context>
<context>
    <name>synack::client::HostListModel</name>
    <message>
        <location filename="../../app-client/window/hostlistmodel.cpp" line="+94"/>
        <source>Found on the LAN: %1</source>
        <translation>在局域网中发现：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Used recently: %1</source>
        <translation>最近使用：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n user(s)</source>
        <translation>
            <numerusform>%n 个用户</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SynAck server</source>
        <translation>SynAck 服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 - %2 (%3, password)</source>
        <translation>%1 - %2（%3，需要密码）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 - %2 (%3)</source>
        <translation>%1 - %2（%3）</translation>
    </message>
</context>
<context>
    <name>synack::client::MessageInput</name>
    <message>
        <location filename="../../app-client/window/messageinput.cpp" line="+15"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>synack::client::SessionFailure</name>
    <message>
        <location filename="../../app-client/core/sessionfailure.cpp" line="+30"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the nick %1 is already taken</source>
        <translation>昵称 %1 已被占用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the nick %1 is still taken, probably by our previous session</source>
        <translation>昵称 %1 仍被占用，可能是被我们之前的会话占着</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; is not a valid nick: %2</source>
        <translation>“%1”不是有效的昵称：%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>wrong password for %1</source>
        <translation>%1 的密码错误</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 needs a password</source>
        <translation>%1 需要密码</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the server %1 is full</source>
        <translation>服务器 %1 已满</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the server does not speak protocol version %1: %2</source>
        <translation>服务器不支持协议版本 %1：%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the server ended the session: %1 (%2)</source>
        <translation>服务器结束了会话：%1（%2）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>kicked by the server</source>
        <translation>被服务器踢出</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the server %1 shut down</source>
        <translation>服务器 %1 已关闭</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server closed the session (%1)</source>
        <translation>服务器关闭了会话（%1）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>connection refused by %1 (is the server running?)</source>
        <translation>%1 拒绝了连接（服务器在运行吗？）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>host not found: %1</source>
        <translation>找不到主机：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no answer from %1 within %2 s</source>
        <translation>%1 在 %2 秒内没有应答</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot connect to %1: %2</source>
        <translation>无法连接到 %1：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the server %1 went silent (%2): declared dead</source>
        <translation>服务器 %1 没有响应（%2）：判定为已失联</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the server %1 sent something unreadable (%2)</source>
        <translation>服务器 %1 发来了无法读取的数据（%2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>connection to %1 lost: %2</source>
        <translation>与 %1 的连接已断开：%2</translation>
    </message>
</context>
<context>
    <name>synack::client::UserListPanel</name>
    <message>
        <location filename="../../app-client/window/userlistpanel.cpp" line="+21"/>
        <source>Double-click someone to send them a private message.</source>
        <translation>双击某人即可给他发私信。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>People in the room</source>
        <translation>房间里的人</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 (you)</source>
        <translation>%1（你）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Double-click to send %1 a private message.</source>
        <translation>双击给 %1 发私信。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not in the room</source>
        <translation>不在房间里</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>In the room: %n</source>
        <translation>
            <numerusform>房间里：%n 人</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>synack::net</name>
    <message>
        <location filename="../../common/net/eventlogexport.cpp" line="+139"/>
        <source>The export was cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown kind</source>
        <translation>未知的类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown direction</source>
        <translation>未知的方向</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
</context>
<context>
    <name>synack::net::Connection</name>
    <message>
        <location filename="../../common/net/connection.cpp" line="+52"/>
        <source>closed by this side</source>
        <translation>由本端关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>peer said bye</source>
        <translation>对端已道别（bye）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>closed by peer (FIN)</source>
        <translation>被对端关闭 (FIN)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reset by peer (RST)</source>
        <translation>被对端重置 (RST)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>peer timed out</source>
        <translation>对端超时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>protocol error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>send queue exceeded</source>
        <translation>发送队列超限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reset by this side (RST)</source>
        <translation>被本端重置 (RST)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not connect</source>
        <translation>无法连接</translation>
    </message>
</context>
<context>
    <name>synack::net::EventLog</name>
    <message>
        <location filename="../../common/net/eventlog.cpp" line="+201"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dir</source>
        <translation>方向</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>synack::protocol</name>
    <message>
        <location filename="../../common/protocol/errors.cpp" line="+19"/>
        <source>The frame length is zero or too large.</source>
        <translation>帧长度为零或过大。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The frame does not hold one valid CBOR map.</source>
        <translation>帧中没有一个有效的 CBOR 映射（map）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A required field is missing or a field has the wrong type.</source>
        <translation>缺少必需的字段，或某个字段的类型错误。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The message type is not known.</source>
        <translation>未知的消息类型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A message was sent before hello.</source>
        <translation>在 hello 之前发送了消息。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The protocol version is not supported.</source>
        <translation>不支持该协议版本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The password is wrong or missing.</source>
        <translation>密码错误或缺失。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nicknames are 1 to 32 letters, marks, digits, &apos;_&apos;, &apos;-&apos; or &apos;.&apos;.</source>
        <translation>昵称由 1 到 32 个字母、附加符号、数字、&apos;_&apos;、&apos;-&apos; 或 &apos;.&apos; 组成。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>That nickname is already in use.</source>
        <translation>该昵称已被占用。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server is full.</source>
        <translation>服务器已满。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No hello arrived in time.</source>
        <translation>未按时收到 hello。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This connection is already registered.</source>
        <translation>此连接已经注册过了。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The text is empty or too long.</source>
        <translation>文本为空或过长。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nobody with that nickname is here.</source>
        <translation>这里没有使用该昵称的人。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many messages; slow down.</source>
        <translation>消息太多，请放慢速度。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The client read too slowly and was dropped.</source>
        <translation>客户端读取太慢，已被断开。</translation>
    </message>
</context>
<context>
    <name>synack::server::ClientActions</name>
    <message>
        <location filename="../../app-server/window/clientactions.cpp" line="+41"/>
        <source>&amp;Disconnect</source>
        <translation>断开连接(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Says bye, then closes with FIN: whichever side&apos;s FIN goes out first ends in TIME_WAIT, the other passes through CLOSE_WAIT and LAST_ACK.</source>
        <translation>先发送 bye，再用 FIN 关闭：哪一端的 FIN 先发出，哪一端最后就进入 TIME_WAIT，另一端则经过 CLOSE_WAIT 和 LAST_ACK。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Kick...</source>
        <translation>踢出(&amp;K)...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asks for a reason, tells the client it was kicked and why, then closes with FIN like Disconnect.</source>
        <translation>先询问原因，告诉客户端它被踢出及原因，然后像“断开连接”一样用 FIN 关闭。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Abort (RST)</source>
        <translation>中止 (RST)(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closes with SO_LINGER 0: the kernel sends RST, the peer sees a reset, and this side skips TIME_WAIT.</source>
        <translation>以 SO_LINGER 0 关闭：内核发送 RST，对端看到连接被重置，本端跳过 TIME_WAIT。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Half-close</source>
        <translation>半关闭(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shuts down only the server&apos;s sending side (FIN) and keeps reading: the client&apos;s socket goes to CLOSE_WAIT and the server&apos;s to FIN_WAIT_2.</source>
        <translation>只关闭服务器的发送方向（FIN）并继续读取：客户端的套接字进入 CLOSE_WAIT，服务器的进入 FIN_WAIT_2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hold &amp;CLOSE_WAIT</source>
        <translation>保持 CLOSE_WAIT(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When the client closes, keep the server&apos;s socket open like a program that forgets to close: it stays in CLOSE_WAIT until you uncheck this.</source>
        <translation>客户端关闭时，让服务器的套接字保持打开，就像一个忘了关闭套接字的程序：它会一直停留在 CLOSE_WAIT，直到你取消勾选此项。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Freeze heartbeats</source>
        <translation>冻结心跳(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stops sending and answering pings on this connection, so the client&apos;s dead-peer timeout fires and you can watch it give up.</source>
        <translation>在此连接上停止发送和应答 ping，客户端的对端失联超时就会触发，你可以看着它放弃连接。</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Kick</source>
        <translation>踢出</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The reason the client is told (it may be empty):</source>
        <translation>告知客户端的原因（可以为空）：</translation>
    </message>
</context>
<context>
    <name>synack::server::ClientsModel</name>
    <message>
        <location filename="../../app-server/core/clientsmodel.cpp" line="+35"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n s ago</source>
        <translation>
            <numerusform>%n 秒前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message>
        <location line="+156"/>
        <source>heartbeats frozen</source>
        <translation>心跳已冻结</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>holding CLOSE_WAIT</source>
        <translation>保持 CLOSE_WAIT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>half-closed</source>
        <translation>已半关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>client half-closed</source>
        <translation>客户端已半关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reset sent</source>
        <translation>已发送重置 (RST)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>reset received</source>
        <translation>已收到重置 (RST)</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1, %2 s left</source>
        <translation>%1，剩余 %2 秒</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>ESTABLISHED: the handshake is done and data flows both ways.</source>
        <translation>ESTABLISHED：握手已完成，数据可以双向传输。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SYN_RECV: the client&apos;s SYN arrived and SYN+ACK went back; waiting for its ACK.</source>
        <translation>SYN_RECV：客户端的 SYN 已到达，SYN+ACK 已发回；正在等待它的 ACK。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>FIN_WAIT_1: the server sent FIN and waits for it to be acknowledged.</source>
        <translation>FIN_WAIT_1：服务器已发送 FIN，正在等待对方确认。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>FIN_WAIT_2: the client acknowledged the server&apos;s FIN; waiting for the client&apos;s own FIN.</source>
        <translation>FIN_WAIT_2：客户端已确认服务器的 FIN；正在等待客户端自己的 FIN。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TIME_WAIT: the server closed first, so the kernel keeps the socket for 60 s to let late segments die out.</source>
        <translation>TIME_WAIT：服务器先关闭，因此内核将套接字保留 60 秒，让迟到的报文段在网络中消失。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CLOSE_WAIT: the client sent FIN; the server has not closed its side yet.</source>
        <translation>CLOSE_WAIT：客户端已发送 FIN；服务器尚未关闭自己这一端。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>LAST_ACK: the server sent its FIN after the client&apos;s and waits for the last ACK.</source>
        <translation>LAST_ACK：服务器在客户端之后发送了自己的 FIN，正在等待最后一个 ACK。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CLOSING: both sides sent FIN at once; waiting for the ACK of the server&apos;s FIN.</source>
        <translation>CLOSING：双方同时发送了 FIN；正在等待对服务器 FIN 的 ACK。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CLOSED: the kernel has forgotten the socket.</source>
        <translation>CLOSED：内核已不再保留这个套接字。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This connection has not registered (no hello yet).</source>
        <translation>此连接尚未注册（还没有 hello）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Closed: %1</source>
        <translation>已关闭：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed (%1): %2</source>
        <translation>已关闭（%1）：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kernel&apos;s TCP states cannot be read on this system.</source>
        <translation>在此系统上无法读取内核的 TCP 状态。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Nick</source>
        <translation>昵称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Qt socket</source>
        <translation>Qt 套接字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kernel TCP state</source>
        <translation>内核 TCP 状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Since</source>
        <translation>连接于</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last heard</source>
        <translation>最后收到</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes in</source>
        <translation>收到字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes out</source>
        <translation>发出字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Msgs in</source>
        <translation>收到消息</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Msgs out</source>
        <translation>发出消息</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The nickname the client registered with (its hello).</source>
        <translation>客户端注册时使用的昵称（来自它的 hello）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The client&apos;s address and port, as the server&apos;s socket sees them.</source>
        <translation>客户端的地址和端口，即服务器的套接字所看到的。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server program&apos;s view of this client&apos;s socket, in Qt&apos;s state names: connected, closing once the server starts to close, unconnected once it has closed.</source>
        <translation>服务器程序眼中此客户端套接字的状态，使用 Qt 的状态名：已连接（Connected）；服务器开始关闭时为 Closing；关闭之后为 Unconnected。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server side&apos;s TCP state in the kernel (what ss shows), followed after the socket is closed until the kernel forgets it.</source>
        <translation>服务器端在内核中的 TCP 状态（即 ss 显示的状态）；套接字关闭后仍继续跟踪，直到内核不再保留它。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>When the server accepted the connection.</source>
        <translation>服务器接受该连接的时间。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The last heartbeat&apos;s round trip, from the server&apos;s ping to the client&apos;s pong.</source>
        <translation>最近一次心跳的往返时间，从服务器发出 ping 到收到客户端的 pong。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How long ago anything arrived from the client.</source>
        <translation>距上次收到客户端的任何数据已过去多久。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes received from the client.</source>
        <translation>从客户端收到的字节数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes sent to the client.</source>
        <translation>发送给客户端的字节数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Protocol messages received from the client, heartbeats not counted.</source>
        <translation>从客户端收到的协议消息数，不含心跳。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chat messages sent to the client.</source>
        <translation>发送给客户端的聊天消息数。</translation>
    </message>
</context>
<context>
    <name>synack::server::ClientsView</name>
    <message>
        <location filename="../../app-server/window/clientsview.cpp" line="+57"/>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
</context>
<context>
    <name>synack::server::ListenPanel</name>
    <message>
        <location filename="../../app-server/window/listenpanel.cpp" line="+45"/>
        <source>&amp;Start</source>
        <translation>启动(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The address the server listens on: all interfaces, or only one of this machine&apos;s addresses.</source>
        <translation>服务器监听的地址：所有网络接口，或仅本机的某一个地址。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>any free</source>
        <translation>任意空闲</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The TCP port clients connect to; &quot;any free&quot; lets the system choose one.</source>
        <translation>客户端连接的 TCP 端口；“任意空闲”表示由系统选择一个。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The name clients see for this server; empty uses the host name.</source>
        <translation>客户端看到的服务器名称；留空则使用主机名。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A password clients must give to join; empty lets anyone in.</source>
        <translation>客户端加入时必须提供的密码；留空则任何人都可以加入。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start listening for clients (F5).</source>
        <translation>开始监听客户端连接（F5）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Say bye to every client, close their connections and stop listening (Shift+F5).</source>
        <translation>向每个客户端发送 bye，关闭它们的连接并停止监听（Shift+F5）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Bind to:</source>
        <translation>绑定地址(&amp;B)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Server &amp;name:</source>
        <translation>服务器名称(&amp;N)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>All interfaces (IPv4 and IPv6)</source>
        <translation>所有网络接口（IPv4 和 IPv6）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (this machine only)</source>
        <translation>%1（仅限本机）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (not on this machine now)</source>
        <translation>%1（当前不在本机上）</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Listening on port %1 (chosen by the system). Clients connect to:</source>
        <translation>正在监听端口 %1（由系统选择）。客户端请连接到：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Listening. Clients connect to:</source>
        <translation>正在监听。客户端请连接到：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Address to connect to</source>
        <translation>要连接的地址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy %1 to the clipboard.</source>
        <translation>将 %1 复制到剪贴板。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy %1</source>
        <translation>复制 %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stopping: saying bye to every client...</source>
        <translation>正在停止：向每个客户端发送 bye...</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Not listening. Press Start to let clients in.</source>
        <translation>未在监听。点击“启动”让客户端进入。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot listen:</source>
        <translation>无法监听：</translation>
    </message>
</context>
<context>
    <name>synack::server::RoomView</name>
    <message>
        <location filename="../../app-server/window/roomview.cpp" line="+41"/>
        <source>Who is in the room: the clients that registered.</source>
        <translation>房间里有谁：已注册的客户端。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Users in the room</source>
        <translation>房间里的用户</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Room messages, joins and leaves appear here.</source>
        <translation>房间消息以及加入和离开都会显示在这里。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent room messages</source>
        <translation>最近的房间消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The room&apos;s recent messages, as the server relays them.</source>
        <translation>房间最近的消息，即服务器转发的内容。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Recent &amp;messages</source>
        <translation>最近消息(&amp;M)</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+71"/>
        <source>&amp;Users (%1)</source>
        <translation>用户（%1）(&amp;U)</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>[%1] -- %2 joined</source>
        <translation>[%1] -- %2 加入了</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>[%1] -- %2 is now %3</source>
        <translation>[%1] -- %2 改名为 %3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>[%1] -- %2 left (%3)</source>
        <translation>[%1] -- %2 离开了（%3）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>[%1] -- the server is listening on port %2</source>
        <translation>[%1] -- 服务器正在监听端口 %2</translation>
    </message>
</context>
<context>
    <name>synack::server::ScreenshotPlan</name>
    <message>
        <location filename="../../app-server/window/screenshotplan.cpp" line="+125"/>
        <source>shown in a screenshot</source>
        <translation>用于截图演示</translation>
    </message>
</context>
<context>
    <name>synack::server::ServerWindow</name>
    <message>
        <location filename="../../app-server/window/serverwindow.cpp" line="+60"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>C&amp;lear closed</source>
        <translation>清除已关闭(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Socket log of the &amp;selected clients only</source>
        <translation>仅显示所选客户端的套接字日志(&amp;S)</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+379"/>
        <source>SynAck server</source>
        <translation>SynAck 服务器</translation>
    </message>
    <message>
        <location line="-374"/>
        <source>Removes the rows of connections the kernel has forgotten (shown as CLOSED) (%1).</source>
        <translation>移除内核已不再保留的连接（显示为 CLOSED）所在的行（%1）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show only the socket log of the clients selected in the table, with their frames.</source>
        <translation>只显示表格中所选客户端的套接字日志，包括它们的帧。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Listening</source>
        <translation>监听</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Client actions</source>
        <translation>客户端操作</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Selected clients:</source>
        <translation>所选客户端：</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Clients connected now, and how many of them are in the room.</source>
        <translation>当前已连接的客户端数，以及其中有多少在房间里。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Protocol messages a second, from clients and to them.</source>
        <translation>每秒的协议消息数，包括来自客户端的和发往客户端的。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bytes a second on all connections, received and sent.</source>
        <translation>所有连接每秒接收和发送的字节数。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copied %1 to the clipboard.</source>
        <translation>已将 %1 复制到剪贴板。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Selected connection</source>
        <translation>所选连接</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Room</source>
        <translation>房间</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Only the &amp;selected clients (with their frames)</source>
        <translation>仅所选客户端（含帧）(&amp;S)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Socket log</source>
        <translation>套接字日志</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Start listening</source>
        <translation>开始监听(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Clients</source>
        <translation>客户端(&amp;C)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Go to the &amp;clients table</source>
        <translation>转到客户端表格(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;inspector</source>
        <translation>转到检查器(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;room</source>
        <translation>转到房间(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the socket &amp;log</source>
        <translation>转到套接字日志(&amp;L)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;What am I looking at?</source>
        <translation>我在看什么？(&amp;W)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The SynAck server window</source>
        <translation>SynAck 服务器窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;p&gt;This window runs a SynAck chat server and shows its TCP connections as the kernel sees them.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Listening&lt;/b&gt;: where clients connect; give them one of the addresses shown.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Clients&lt;/b&gt;: one row per connection. A closed connection stays, greyed, while the kernel still holds its socket (TIME_WAIT, CLOSE_WAIT...), then shows CLOSED. Select rows and try the actions: each button&apos;s tooltip says what the textbook will show.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Selected connection&lt;/b&gt;: the state diagram, the ladder of segments, the timeline, round trips and TCP_INFO of the selected row.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Room&lt;/b&gt; and &lt;b&gt;Socket log&lt;/b&gt;: what the room sees, and every event of every connection (frames for the selected ones).&lt;/p&gt;</source>
        <translation>&lt;p&gt;此窗口运行一个 SynAck 聊天服务器，并按内核所见展示它的 TCP 连接。&lt;/p&gt;&lt;p&gt;&lt;b&gt;监听&lt;/b&gt;：客户端连接到哪里；把显示的某个地址告诉它们。&lt;/p&gt;&lt;p&gt;&lt;b&gt;客户端&lt;/b&gt;：每个连接一行。连接关闭后，只要内核仍保留它的套接字（TIME_WAIT、CLOSE_WAIT...），这一行就以灰色保留，之后显示 CLOSED。选中若干行并试试各项操作：每个按钮的提示都会说明教科书上的哪种情形将会出现。&lt;/p&gt;&lt;p&gt;&lt;b&gt;所选连接&lt;/b&gt;：所选行的状态图、报文段时序图、时间线、往返时间和 TCP_INFO。&lt;/p&gt;&lt;p&gt;&lt;b&gt;房间&lt;/b&gt;和&lt;b&gt;套接字日志&lt;/b&gt;：房间里看到的内容，以及每个连接的每个事件（所选连接还包括帧）。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>port %1 is already in use, perhaps by another SynAck server. Choose another port, or &quot;any free&quot;.</source>
        <translation>端口 %1 已被占用，可能是另一个 SynAck 服务器在使用。请换一个端口，或选择“任意空闲”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not an address of this machine now. Choose another bind address.</source>
        <translation>%1 当前不是本机的地址。请选择其他绑定地址。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the system does not let this program use port %1 (ports below 1024 need administrator rights). Choose a port from 1024 up.</source>
        <translation>系统不允许本程序使用端口 %1（1024 以下的端口需要管理员权限）。请选择 1024 或以上的端口。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>SynAck server &quot;%1&quot; on port %2</source>
        <translation>SynAck 服务器“%1”，端口 %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>No clients yet. Run synack-client on a machine of the LAN and connect to one of the addresses above.</source>
        <translation>还没有客户端。请在局域网中的某台机器上运行 synack-client，并连接到上面的某个地址。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Not listening: press Start above to let clients in.</source>
        <translation>未在监听：点击上方的“启动”让客户端进入。</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Listening on port %1; room messages refused, the history file cannot store them (%2)</source>
        <translation>正在监听端口 %1；聊天室消息被拒绝，历史文件无法保存它们（%2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stopping...</source>
        <translation>正在停止...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Listening on port %1</source>
        <translation>正在监听端口 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not listening</source>
        <translation>未在监听</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clients: %1 connected, %2 in the room</source>
        <translation>客户端：%1 个已连接，%2 个在房间里</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Messages: %1/s in, %2/s out</source>
        <translation>消息：收 %1/秒，发 %2/秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Traffic: %1 in, %2 out</source>
        <translation>流量：收 %1，发 %2</translation>
    </message>
</context>
<context>
    <name>synack::ui::ConnectionInspector</name>
    <message>
        <location filename="../../common/ui/connectioninspector.cpp" line="+33"/>
        <source>No connection selected.
Select one to see how its TCP connection opens, lives and closes.</source>
        <translation>未选择连接。
选择一个连接，即可看到它的 TCP 连接如何建立、维持和关闭。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Round trips</source>
        <translation>往返时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TCP_INFO</source>
        <translation>TCP_INFO</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Socket log</source>
        <translation>套接字日志</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Connection #%1</source>
        <translation>连接 #%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>kernel: %1</source>
        <translation>内核：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>half-closed (this side sent FIN)</source>
        <translation>已半关闭（本端已发送 FIN）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the peer half-closed</source>
        <translation>对端已半关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>holding CLOSE_WAIT</source>
        <translation>保持 CLOSE_WAIT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>heartbeat frozen</source>
        <translation>心跳已冻结</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>over: the kernel has forgotten the socket</source>
        <translation>已结束：内核已不再保留这个套接字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>closed: %1</source>
        <translation>已关闭：%1</translation>
    </message>
</context>
<context>
    <name>synack::ui::LadderWidget</name>
    <message>
        <location filename="../../common/ui/ladderwidget.cpp" line="+51"/>
        <source>Absolute sequence numbers</source>
        <translation>绝对序列号</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>retransmission</source>
        <translation>重传</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dup ACK #%1</source>
        <translation>重复 ACK #%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>zero window</source>
        <translation>零窗口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>window update</source>
        <translation>窗口更新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>keep-alive</source>
        <translation>保活</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Retransmission: these bytes were sent before, and the sender sent them again because no acknowledgement came in time.</source>
        <translation>重传：这些字节之前已发送过，因为没有及时收到确认，发送方再次发送了它们。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Duplicate ACK: the receiver acknowledges the same byte again, because a segment arrived after a gap: one before it may be lost.</source>
        <translation>重复 ACK：接收方再次确认同一个字节，因为有报文段在缺口之后到达：它之前的某个报文段可能已丢失。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zero window: the receiver&apos;s buffer is full, and the sender must wait until it announces room again.</source>
        <translation>零窗口：接收方的缓冲区已满，发送方必须等到它再次通告有空间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window update: the receiver announces more room in its buffer, with no new data and nothing new acknowledged.</source>
        <translation>窗口更新：接收方通告其缓冲区有了更多空间，没有新数据，也没有确认新的内容。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep-alive: a probe one byte before the next sequence number, to see whether the peer is still there.</source>
        <translation>保活：在下一个序列号之前一个字节处发送的探测，用来查看对端是否仍然在线。</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>this side</source>
        <translation>本端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>client (this side)</source>
        <translation>客户端（本端）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>server (this side)</source>
        <translation>服务器（本端）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>server (peer)</source>
        <translation>服务器（对端）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>client (peer)</source>
        <translation>客户端（对端）</translation>
    </message>
    <message>
        <location line="+170"/>
        <source>(the ACK of the other FIN travels with this FIN)</source>
        <translation>（对另一个 FIN 的 ACK 随这个 FIN 一起发送）</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>This side half-closed: it sent its FIN and reads on; the peer may still send.</source>
        <translation>本端已半关闭：它发送了 FIN 并继续读取；对端仍可发送数据。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The peer half-closed: it sent its FIN and reads on; this side may still send.</source>
        <translation>对端已半关闭：它发送了 FIN 并继续读取；本端仍可发送数据。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Holding CLOSE_WAIT: the peer has closed, this program has not.</source>
        <translation>保持 CLOSE_WAIT：对端已关闭，本程序尚未关闭。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This side reset the connection (RST): no TIME_WAIT.</source>
        <translation>本端重置了连接（RST）：没有 TIME_WAIT。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The peer reset the connection (RST): no TIME_WAIT.</source>
        <translation>对端重置了连接（RST）：没有 TIME_WAIT。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Captured from the wire, one arrow per segment; absolute numbers.</source>
        <translation>从线路上抓取，每个报文段一个箭头；绝对序号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captured from the wire, one arrow per segment; numbers relative to each side&apos;s initial sequence number.</source>
        <translation>从线路上抓取，每个报文段一个箭头；序号相对于各端的初始序列号。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dashed: inferred from the kernel states, not captured from the wire.</source>
        <translation>虚线：根据内核状态推断，并非从线路上抓取。</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n earlier segment(s) not kept.</source>
        <translation>
            <numerusform>更早的 %n 个报文段未保留。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Both ends&apos; observations combined.</source>
        <translation>合并了两端的观察结果。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seen from this side only.</source>
        <translation>仅从本端观察。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No segments yet.</source>
        <translation>还没有报文段。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No connection selected.</source>
        <translation>未选择连接。</translation>
    </message>
</context>
<context>
    <name>synack::ui::RoundTripGraphWidget</name>
    <message>
        <location filename="../../common/ui/roundtripgraphwidget.cpp" line="+62"/>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>last %1</source>
        <translation>最近 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>min %1</source>
        <translation>最小 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>avg %1</source>
        <translation>平均 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max %1</source>
        <translation>最大 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n round trip(s)</source>
        <translation>
            <numerusform>%n 次往返</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No heartbeat round trips yet (a ping every few seconds).</source>
        <translation>还没有心跳往返数据（每隔几秒发送一次 ping）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No connection selected.</source>
        <translation>未选择连接。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>newest</source>
        <translation>最新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>−%1 min</source>
        <translation>−%1 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>−%1 s</source>
        <translation>−%1 秒</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>average</source>
        <translation>平均</translation>
    </message>
</context>
<context>
    <name>synack::ui::SocketLogView</name>
    <message>
        <location filename="../../common/ui/socketlogview.cpp" line="+39"/>
        <source>Qt socket states</source>
        <translation>Qt 套接字状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Socket errors</source>
        <translation>套接字错误</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes read and written</source>
        <translation>读写的字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heartbeats</source>
        <translation>心跳</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kernel TCP states</source>
        <translation>内核 TCP 状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect and close</source>
        <translation>连接与关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lab actions</source>
        <translation>实验操作</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Filter: text in type, summary or connection</source>
        <translation>筛选：类型、摘要或连接中的文字</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kinds</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Which kinds of event to show; none ticked shows all.</source>
        <translation>要显示哪些类别的事件；都不勾选则全部显示。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow: keep the newest events in view. Off: pause the view where it is (events are still recorded).</source>
        <translation>跟随：始终显示最新的事件。关闭：视图停在当前位置（事件仍会被记录）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write the events the filters let through to a file.</source>
        <translation>将通过筛选的事件写入文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>As text…</source>
        <translation>导出为文本…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As JSON Lines…</source>
        <translation>导出为 JSON Lines…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Dir</source>
        <translation>方向</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Select an event to see its bytes.</source>
        <translation>选择一个事件以查看它的字节。</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Kinds: all</source>
        <translation>类别：全部</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kinds: %1</source>
        <translation>类别：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n 个事件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Decoded: %1</source>
        <translation>解码：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(no bytes recorded for this event)</source>
        <translation>（此事件没有记录字节）</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n 字节</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(the first %1 of %2)</source>
        <translation>（%2 字节中的前 %1 字节）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>There is no log to export.</source>
        <translation>没有可导出的日志。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export the socket log</source>
        <translation>导出套接字日志</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text (*.txt);;All files (*)</source>
        <translation>文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exporting the socket log…</source>
        <translation>正在导出套接字日志…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The socket log could not be written to %1: %2</source>
        <translation>无法将套接字日志写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>synack::ui::StateDiagramWidget</name>
    <message>
        <location filename="../../common/ui/statediagramwidget.cpp" line="+81"/>
        <source>passive open</source>
        <translation>被动打开</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>active open
snd SYN</source>
        <translation>主动打开
发 SYN</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rcv SYN
snd SYN,ACK</source>
        <translation>收 SYN
发 SYN,ACK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rcv SYN / snd SYN,ACK</source>
        <translation>收 SYN / 发 SYN,ACK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rcv ACK</source>
        <translation>收 ACK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rcv SYN,ACK
snd ACK</source>
        <translation>收 SYN,ACK
发 ACK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>close
snd FIN</source>
        <translation>关闭
发 FIN</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rcv FIN
snd ACK</source>
        <translation>收 FIN
发 ACK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rcv ACK of FIN</source>
        <translation>收到 FIN 的 ACK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>timeout 2MSL</source>
        <translation>超时 2MSL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+219"/>
        <location line="+1"/>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>No connection. A socket is CLOSED before it connects or listens, and again once the connection is over and the kernel has forgotten it.</source>
        <translation>没有连接。套接字在连接或监听之前处于 CLOSED；连接结束、内核不再保留它之后，也会回到 CLOSED。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for a connection request (a SYN) from any remote end. Servers listen; each accepted connection gets a socket of its own.</source>
        <translation>等待任意远端发来的连接请求（SYN）。服务器负责监听；每个被接受的连接都有自己的套接字。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A SYN arrived and was answered with SYN+ACK; waiting for the ACK that completes the three-way handshake. RFC 793 calls it SYN-RECEIVED.</source>
        <translation>收到了 SYN 并已回复 SYN+ACK；正在等待完成三次握手的 ACK。RFC 793 称之为 SYN-RECEIVED。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This end sent a SYN to open the connection and is waiting for the peer&apos;s SYN+ACK.</source>
        <translation>本端已发送 SYN 以建立连接，正在等待对端的 SYN+ACK。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection is open: both ends can send and receive. Chatting happens here.</source>
        <translation>连接已建立：两端都可以收发数据。聊天就在这个状态下进行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This program has closed: its FIN is sent and it waits for the peer to acknowledge it.</source>
        <translation>本程序已关闭：它的 FIN 已发出，正在等待对端确认。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The peer has acknowledged this end&apos;s FIN. Waiting for the peer to close too (its FIN); the peer may still send data until then.</source>
        <translation>对端已确认本端的 FIN。正在等待对端也关闭（发来它的 FIN）；在此之前对端仍可发送数据。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Both ends closed at the same time: the peer&apos;s FIN arrived before the ACK of ours. Waiting for that ACK.</source>
        <translation>两端同时关闭：对端的 FIN 先于对我方 FIN 的 ACK 到达。正在等待这个 ACK。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This end closed first and all is acknowledged. The kernel keeps the socket for twice the maximum segment lifetime (60 s on Linux), so that late segments die out and the last ACK can be sent again.</source>
        <translation>本端先关闭，且所有数据都已确认。内核将套接字保留两倍的最大报文段寿命（2MSL，在 Linux 上为 60 秒），让迟到的报文段在网络中消失，并能在需要时重发最后一个 ACK。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The peer has closed (its FIN arrived); this program has not closed yet. A socket that stays here is a program that forgot to close.</source>
        <translation>对端已关闭（它的 FIN 已到达）；本程序尚未关闭。套接字一直停留在这里，说明程序忘了关闭它。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The peer closed first, then this program closed and sent its FIN; waiting for the last ACK.</source>
        <translation>对端先关闭，随后本程序也关闭并发送了 FIN；正在等待最后一个 ACK。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>This connection is here now.</source>
        <translation>此连接当前处于这个状态。</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>RST</source>
        <translation>RST</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>No connection: the TCP state machine of RFC 793.</source>
        <translation>无连接：RFC 793 的 TCP 状态机。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The kernel&apos;s TCP state is not known for this connection.</source>
        <translation>此连接的内核 TCP 状态未知。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Numbers: the states this connection went through, in order; dashed: passed, not observed. Filled: where it is now.</source>
        <translation>数字：此连接依次经过的状态；虚线：经过但未观察到。实心：当前所在的状态。</translation>
    </message>
</context>
<context>
    <name>synack::ui::StateTimelineWidget</name>
    <message>
        <location filename="../../common/ui/statetimelinewidget.cpp" line="+92"/>
        <location line="+29"/>
        <source>+%1 s</source>
        <translation>+%1 秒</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>%1 µs</source>
        <translation>%1 微秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+214"/>
        <source>Qt socket</source>
        <translation>Qt 套接字</translation>
    </message>
    <message>
        <location line="-214"/>
        <location line="+216"/>
        <source>Kernel TCP</source>
        <translation>内核 TCP</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>No connection selected.</source>
        <translation>未选择连接。</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>passed</source>
        <translation>已经过</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>final</source>
        <translation>最终</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>for %1</source>
        <translation>已持续 %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Columns in time order, not to scale; times from the first change.</source>
        <translation>各列按时间顺序排列，不按比例；时间从第一次变化算起。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The kernel&apos;s TCP state is not known for this connection.</source>
        <translation>此连接的内核 TCP 状态未知。</translation>
    </message>
</context>
<context>
    <name>synack::ui::TcpInfoPanel</name>
    <message>
        <location filename="../../common/ui/tcpinfopanel.cpp" line="+49"/>
        <source>The kernel&apos;s figures for this socket (TCP_INFO)</source>
        <translation>内核为此套接字提供的数据（TCP_INFO）</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Round trip time (rtt)</source>
        <translation>往返时间 (rtt)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Round trip variation (rttvar)</source>
        <translation>往返时间偏差 (rttvar)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retransmitting now</source>
        <translation>当前重传次数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retransmissions in all</source>
        <translation>累计重传</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Congestion window (cwnd)</source>
        <translation>拥塞窗口 (cwnd)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not yet acknowledged</source>
        <translation>尚未确认</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thought lost</source>
        <translation>判定丢失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes sent</source>
        <translation>已发送字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes received</source>
        <translation>已接收字节</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The kernel&apos;s smoothed estimate of the time from sending a segment to its ACK.</source>
        <translation>内核对从发送报文段到收到其 ACK 所需时间的平滑估计值。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How much the round trip time varies; the retransmission timeout is the rtt plus four times this.</source>
        <translation>往返时间的波动程度；重传超时等于 rtt 加上它的四倍。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How many times the oldest unacknowledged segment has been sent again.</source>
        <translation>最早的未确认报文段已被重传的次数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Segments sent again since the connection opened.</source>
        <translation>自连接建立以来重传的报文段数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many segments the sender may have in flight before waiting for ACKs.</source>
        <translation>发送方在等待 ACK 之前可以同时在途的报文段数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Segments sent but not acknowledged by the peer yet.</source>
        <translation>已发送但对端尚未确认的报文段。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Segments the kernel believes were lost on the way.</source>
        <translation>内核认为在途中丢失的报文段。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All bytes this socket sent, retransmissions included.</source>
        <translation>此套接字发送的全部字节，包括重传。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All bytes this socket received.</source>
        <translation>此套接字接收的全部字节。</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n segment(s)</source>
        <translation>
            <numerusform>%n 个报文段</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 B</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 B (%2)</source>
        <translation>%1 字节（%2）</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No connection selected.</source>
        <translation>未选择连接。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No figures: the socket closed before any were read.</source>
        <translation>没有数据：套接字在读取到任何数据之前就关闭了。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No figures yet: TCP_INFO is read once a second.</source>
        <translation>暂无数据：TCP_INFO 每秒读取一次。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The socket is closed: these are its last figures.</source>
        <translation>套接字已关闭：这些是它最后的数据。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read from the kernel once a second.</source>
        <translation>每秒从内核读取一次。</translation>
    </message>
</context>
</TS>
