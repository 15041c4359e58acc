#include "filelimit.h"

#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

namespace synack::server {

long raiseOpenFileLimit(long wanted, QString *note)
{
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur != RLIM_INFINITY && rlim_t(wanted) > limit.rlim_cur) {
        rlimit raised = limit;
        raised.rlim_cur = (limit.rlim_max == RLIM_INFINITY || rlim_t(wanted) <= limit.rlim_max)
                              ? rlim_t(wanted)
                              : limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
        if (note && limit.rlim_cur < rlim_t(wanted))
            *note = QStringLiteral("open-file limit is %1, below the %2 that max-clients needs")
                        .arg(qulonglong(limit.rlim_cur))
                        .arg(wanted);
    }
    return limit.rlim_cur == RLIM_INFINITY ? -1 : long(limit.rlim_cur);
#else
    Q_UNUSED(wanted);
    Q_UNUSED(note);
    return -1;
#endif
}

long openFileLimit()
{
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return -1;
    return long(limit.rlim_cur);
#else
    return -1;
#endif
}

} // namespace synack::server
