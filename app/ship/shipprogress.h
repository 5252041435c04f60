// SPDX-License-Identifier: MIT
#pragma once

#include "shipper.h"

#include <QElapsedTimer>

namespace Gantry {

/// Throttles progress reports and computes speed and ETA.
class ProgressMeter
{
public:
    ProgressMeter(ShipProgress &p, const ShipProgressFn &fn) : m_p(p), m_fn(fn) {}
    void startTransfer(qint64 toSend)
    {
        m_p.toSend = toSend;
        m_p.sent = 0;
        m_transfer.start();
    }
    void setSent(qint64 sent, bool force = false)
    {
        m_p.sent = sent;
        const qint64 ms = m_transfer.isValid() ? m_transfer.elapsed() : 0;
        if (ms > 0) {
            m_p.bytesPerSecond = double(sent) * 1000.0 / double(ms);
            m_p.etaSeconds = m_p.bytesPerSecond > 1 ? qint64(double(m_p.toSend - sent) / m_p.bytesPerSecond) : -1;
        }
        if (force || m_last.isValid() == false || m_last.elapsed() >= 250) {
            m_last.start();
            emitNow();
        }
    }
    void phase(ShipProgress::Phase phase, const QString &message)
    {
        m_p.phase = phase;
        m_p.message = message;
        emitNow();
    }
    void emitNow()
    {
        if (m_fn)
            m_fn(m_p);
    }

private:
    ShipProgress &m_p;
    const ShipProgressFn &m_fn;
    QElapsedTimer m_transfer, m_last;
};


} // namespace Gantry
