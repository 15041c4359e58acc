#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace synack::client {

// Who is in the room, kept from welcome, join, leave, rename and users.
// Nicks are compared as the server compares them (protocol::nickKey), and
// shown as the server spelled them.
class UserList
{
public:
    void reset(const QStringList &nicks);
    void clear() { m_users.clear(); }
    // False when nothing changed (already there, or not there).
    bool add(const QString &nick);
    bool remove(const QString &nick);
    bool rename(const QString &from, const QString &to);

    bool contains(const QString &nick) const;
    qsizetype count() const { return m_users.size(); }
    // Sorted case-insensitively.
    QStringList nicks() const { return m_users.values(); }

private:
    QMap<QString, QString> m_users; // nickKey -> nick as spelled
};

} // namespace synack::client
