package io.modis.pubsub;

/**
 * The clients subscribed to one channel or pattern, in the order they subscribed (the order
 * messages are delivered in). A doubly linked list whose nodes the subscribers keep, so that
 * unsubscribing is O(1) even with thousands of subscribers on one channel.
 */
final class SubscriberList {
    final Channel key;
    final byte[] name;
    private Node head;
    private Node tail;
    private int size;

    SubscriberList(Channel key) {
        this.key = key;
        this.name = key.name;
    }

    /** One client's place in one list. */
    static final class Node {
        final SubscriberList list;
        final ClientSubscriptions subscriber;
        private Node prev;
        private Node next;

        private Node(SubscriberList list, ClientSubscriptions subscriber) {
            this.list = list;
            this.subscriber = subscriber;
        }

        /** The next subscriber, or null. Read it before delivering to this one. */
        Node next() {
            return next;
        }
    }

    Node append(ClientSubscriptions subscriber) {
        Node n = new Node(this, subscriber);
        n.prev = tail;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        size++;
        return n;
    }

    /** Unlinks {@code n}; its own next pointer is kept so that a delivery loop standing on it can go on. */
    void remove(Node n) {
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        size--;
    }

    Node first() {
        return head;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
