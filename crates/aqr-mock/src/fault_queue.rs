//! The faults waiting to apply, handed out to matching requests in push order.

use crate::fault::{Fault, FaultResponse, InvalidFault};
use crate::types::MockAction;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// The faults waiting to apply, in push order (`times` counts down in place).
#[derive(Default)]
pub(crate) struct FaultQueue {
    /// Whether the list may be non-empty: lets the hot path skip the lock.
    armed: AtomicBool,
    slots: Mutex<Vec<Fault>>,
}

impl FaultQueue {
    /// Adds faults at the end of the queue: all of them, or none when one is invalid.
    ///
    /// # Errors
    /// The first fault that breaks a rule, with its index.
    pub(crate) fn push_all(&self, faults: Vec<Fault>) -> Result<usize, (usize, InvalidFault)> {
        for (index, fault) in faults.iter().enumerate() {
            fault.validate().map_err(|err| (index, err))?;
        }
        let added = faults.len();
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.extend(faults);
        if !slots.is_empty() {
            self.armed.store(true, Ordering::Release);
        }
        Ok(added)
    }

    /// Removes every fault.
    pub(crate) fn clear(&self) {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.clear();
        self.armed.store(false, Ordering::Release);
    }

    /// The faults still waiting (with their remaining `times`).
    pub(crate) fn list(&self) -> Vec<Fault> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.clone()
    }

    /// The response of the first fault matching `action`, counting it down.
    pub(crate) fn take(&self, action: MockAction) -> Option<FaultResponse> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let index = slots
            .iter()
            .position(|f| f.action.is_none_or(|a| a == action))?;
        let fault = slots.get_mut(index)?;
        let response = fault.response.clone();
        if let Some(n) = fault.times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                slots.remove(index);
            }
        }
        if slots.is_empty() {
            self.armed.store(false, Ordering::Release);
        }
        Some(response)
    }
}
