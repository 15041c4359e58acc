#include "userlist.h"

#include "protocol/nick.h"

namespace synack::client {

using protocol::nickKey;

void UserList::reset(const QStringList &nicks)
{
    m_users.clear();
    for (const QString &nick : nicks)
        m_users.insert(nickKey(nick), nick);
}

bool UserList::add(const QString &nick)
{
    const QString key = nickKey(nick);
    if (m_users.value(key) == nick)
        return false;
    m_users.insert(key, nick);
    return true;
}

bool UserList::remove(const QString &nick)
{
    return m_users.remove(nickKey(nick)) > 0;
}

bool UserList::rename(const QString &from, const QString &to)
{
    // A change of case only ("bob" -> "Bob") keeps the key and changes the spelling.
    const QString old = m_users.take(nickKey(from));
    m_users.insert(nickKey(to), to);
    return old != to;
}

bool UserList::contains(const QString &nick) const
{
    return m_users.contains(nickKey(nick));
}

} // namespace synack::client
