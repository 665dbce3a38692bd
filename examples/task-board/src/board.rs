//! The board: tasks and the people they can be assigned to, and where a thread keeps them.

use std::collections::BTreeMap;

use chatkit::{HandlerError, ThreadMetadata};
use serde::{Deserialize, Serialize};

/// Someone a task can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Stable id, also the entity id of @-mentions (`ada`).
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// What they do, shown in previews.
    pub role: &'static str,
}

/// The team of the demo.
pub const PEOPLE: [Person; 3] = [
    Person { id: "ada", name: "Ada", role: "Engineering" },
    Person { id: "grace", name: "Grace", role: "Product" },
    Person { id: "alan", name: "Alan", role: "Design" },
];

/// The person with this id or (case-insensitive) name.
///
/// ```
/// assert_eq!(task_board::person("Grace").unwrap().id, "grace");
/// assert!(task_board::person("nobody").is_none());
/// ```
pub fn person(key: &str) -> Option<&'static Person> {
    let key = key.trim().trim_start_matches('@');
    PEOPLE.iter().find(|p| p.id == key || p.name.eq_ignore_ascii_case(key))
}

/// One task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// `task-N`, also the entity id of @-mentions.
    pub id: String,
    /// What needs doing.
    pub title: String,
    /// The assignee's [`Person::id`].
    pub assignee: Option<String>,
    /// Whether it is done.
    pub done: bool,
}

impl Task {
    /// The assignee's display name.
    pub fn assignee_name(&self) -> Option<&'static str> {
        self.assignee.as_deref().and_then(person).map(|p| p.name)
    }
}

/// The tasks of one conversation.
///
/// Each thread keeps its own board in its metadata (server-side only, never sent to clients),
/// so the board is saved with the thread in whatever [`Store`](chatkit::Store) the server
/// uses and survives restarts; a thread that has not changed its board yet shows
/// [`Board::sample`]. See [`Board::of_thread`] and [`Board::save_to`].
///
/// ```
/// let mut board = task_board::Board::default();
/// let id = board.add("Write docs", Some("ada"), Some("msg_1")).id.clone();
/// // The same origin again (a retried request) finds the task instead of adding another.
/// assert_eq!(board.add("Write docs", Some("ada"), Some("msg_1")).id, id);
/// assert!(board.toggle(&id).unwrap().done);
/// assert_eq!(board.tasks().len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    tasks: Vec<Task>,
    next_id: u32,
    /// The request that created each task (a user message or form widget id → task id), so
    /// that retrying that request does not create the task twice.
    #[serde(default)]
    origins: BTreeMap<String, String>,
}

/// The key of the board in the thread's metadata.
const METADATA_KEY: &str = "task_board";

impl Board {
    /// The board every user starts with.
    pub fn sample() -> Self {
        let mut board = Board::default();
        board.add("Write the release notes", Some("ada"), None);
        board.add("Review the widget designs", Some("alan"), None);
        board.add("Plan the launch demo", None, None);
        board
    }

    /// The board kept in this thread's metadata, or [`Board::sample`] for a thread that has
    /// not changed it yet.
    ///
    /// ```
    /// let mut thread = chatkit::ThreadMetadata::new("thr_1");
    /// let mut board = task_board::Board::of_thread(&thread).unwrap();
    /// board.add("Water the plants", Some("grace"), None);
    /// board.save_to(&mut thread);
    /// assert_eq!(task_board::Board::of_thread(&thread).unwrap().tasks().len(), 4);
    /// ```
    pub fn of_thread(thread: &ThreadMetadata) -> Result<Self, HandlerError> {
        match thread.metadata.get(METADATA_KEY) {
            None => Ok(Self::sample()),
            Some(saved) => Self::deserialize(saved).map_err(|err| {
                HandlerError::custom(format!("The task board saved with this thread cannot be read: {err}"))
            }),
        }
    }

    /// Saves the board into the thread's metadata (the engine stores the thread when the
    /// handler sends its next event or returns).
    pub fn save_to(&self, thread: &mut ThreadMetadata) {
        let value = serde_json::to_value(self).unwrap_or_default();
        thread.metadata.insert(METADATA_KEY.to_owned(), value);
    }

    /// All tasks, oldest first.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The task with this id.
    pub fn get(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The task with this id, or else the first whose title contains `text` (case-insensitive).
    pub fn find(&self, text: &str) -> Option<&Task> {
        let text = text.trim().trim_start_matches('@').trim();
        if text.is_empty() {
            return None;
        }
        let lower = text.to_lowercase();
        self.get(text).or_else(|| self.tasks.iter().find(|t| t.title.to_lowercase().contains(&lower)))
    }

    /// Adds a task, or returns the one an earlier run of the same `origin` created.
    pub fn add(&mut self, title: &str, assignee: Option<&str>, origin: Option<&str>) -> &Task {
        if let Some(at) = origin
            .and_then(|origin| self.origins.get(origin))
            .and_then(|id| self.tasks.iter().position(|t| t.id == *id))
        {
            return &self.tasks[at];
        }
        self.next_id += 1;
        let id = format!("task-{}", self.next_id);
        if let Some(origin) = origin {
            self.origins.insert(origin.to_owned(), id.clone());
        }
        self.tasks.push(Task {
            id,
            title: title.trim().to_owned(),
            assignee: assignee.and_then(person).map(|p| p.id.to_owned()),
            done: false,
        });
        let last = self.tasks.len() - 1;
        &self.tasks[last]
    }

    /// Flips a task between open and done.
    pub fn toggle(&mut self, id: &str) -> Option<&Task> {
        let task = self.tasks.iter_mut().find(|t| t.id == id)?;
        task.done = !task.done;
        Some(task)
    }

    /// Marks a task done (a no-op when it already is).
    pub fn complete(&mut self, id: &str) -> Option<&Task> {
        let task = self.tasks.iter_mut().find(|t| t.id == id)?;
        task.done = true;
        Some(task)
    }

    /// Assigns a task to a person.
    pub fn assign(&mut self, id: &str, person: &Person) -> Option<&Task> {
        let task = self.tasks.iter_mut().find(|t| t.id == id)?;
        task.assignee = Some(person.id.to_owned());
        Some(task)
    }

    /// Tasks assigned to `person` (all tasks for `None`).
    pub fn assigned_to(&self, person: Option<&Person>) -> Vec<&Task> {
        self.tasks.iter().filter(|t| person.is_none_or(|p| t.assignee.as_deref() == Some(p.id))).collect()
    }

    /// How many tasks are open.
    pub fn open_count(&self) -> usize {
        self.tasks.iter().filter(|t| !t.done).count()
    }

    /// Tasks and people whose name contains `query` (case-insensitive); all for an empty query.
    pub fn search(&self, query: &str) -> (Vec<&Task>, Vec<&'static Person>) {
        let query = query.trim().trim_start_matches('@').to_lowercase();
        let tasks = self.tasks.iter().filter(|t| t.title.to_lowercase().contains(&query)).collect();
        let people = PEOPLE.iter().filter(|p| p.name.to_lowercase().contains(&query)).collect();
        (tasks, people)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_by_id_or_title() {
        let board = Board::sample();
        assert_eq!(board.find("task-2").map(|t| t.title.as_str()), Some("Review the widget designs"));
        assert_eq!(board.find("release").map(|t| t.id.as_str()), Some("task-1"));
        assert!(board.find("").is_none());
        assert!(board.find("nothing like it").is_none());
    }

    #[test]
    fn assign_and_filter() {
        let mut board = Board::sample();
        let grace = person("grace").expect("grace is on the team");
        assert!(board.assigned_to(Some(grace)).is_empty());
        board.assign("task-3", grace);
        assert_eq!(board.assigned_to(Some(grace)).len(), 1);
        assert_eq!(board.assigned_to(None).len(), 3);
    }

    #[test]
    fn unknown_assignee_is_dropped() {
        let mut board = Board::default();
        assert_eq!(board.add("x", Some("nobody"), None).assignee, None);
    }

    #[test]
    fn a_thread_keeps_its_board() {
        let mut thread = ThreadMetadata::new("thr_1");
        assert_eq!(Board::of_thread(&thread).expect("no board yet"), Board::sample());
        let mut board = Board::sample();
        let id = board.add("Ship it", Some("ada"), Some("msg_9")).id.clone();
        board.save_to(&mut thread);
        let mut back = Board::of_thread(&thread).expect("the saved board");
        assert_eq!(back, board);
        // The origin survives the round trip: a retry after a restart finds the task.
        assert_eq!(back.add("Ship it", Some("ada"), Some("msg_9")).id, id);
        assert_eq!(back.tasks().len(), 4);
        thread.metadata.insert(METADATA_KEY.into(), serde_json::json!({"tasks": 3}));
        assert!(Board::of_thread(&thread).is_err());
    }

    #[test]
    fn search_matches_tasks_and_people() {
        let board = Board::sample();
        let (tasks, people) = board.search("");
        assert_eq!((tasks.len(), people.len()), (3, 3));
        let (tasks, people) = board.search("RELEASE");
        assert_eq!((tasks[0].id.as_str(), people.len()), ("task-1", 0));
        let (tasks, people) = board.search("@gra");
        assert!(tasks.is_empty());
        assert_eq!(people[0].id, "grace");
    }
}
